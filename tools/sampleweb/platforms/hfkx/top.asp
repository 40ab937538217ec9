<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>禾丰县科学技术协会</title>
<link href="css/style.css" rel="stylesheet" type="text/css">
</head>
<body leftmargin="0" topmargin="0">
<table width="100%"><tr><td height="100" background="images/banner.jpg"></td></tr><tr><td class="menu" align="center"><a href="index.htm" target="mainFrame">首页</a> | <a href="ShowClass.asp?ClassID=1" target="mainFrame">科协概况</a> | <a href="NewsList.asp?ClassID=3" target="mainFrame">新闻动态</a> | <a href="NewsList.asp?ClassID=4" target="mainFrame">通知公告</a> | <a href="NewsList.asp?ClassID=5" target="mainFrame">科普园地</a> | <a href="NewsList.asp?ClassID=6" target="mainFrame">学会工作</a></td></tr></table>
</body>
</html>
