<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>禾丰县科学技术协会</title>
<link href="css/style.css" rel="stylesheet" type="text/css">
</head>
<body leftmargin="0" topmargin="0">
<table width="100%"><tr><td class="left">·<a href="ShowClass.asp?ClassID=1" target="mainFrame">科协概况</a></td></tr><tr><td class="left">·<a href="NewsList.asp?ClassID=3" target="mainFrame">新闻动态</a></td></tr><tr><td class="left">·<a href="NewsList.asp?ClassID=4" target="mainFrame">通知公告</a></td></tr><tr><td class="left">·<a href="NewsList.asp?ClassID=5" target="mainFrame">科普园地</a></td></tr><tr><td class="left">·<a href="NewsList.asp?ClassID=6" target="mainFrame">学会工作</a></td></tr><tr><td>办公电话：0000-8123456</td></tr></table>
</body>
</html>
