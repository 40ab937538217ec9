function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){
  if(_nPageCount == null || _nPageCount <= 1){ return; }
  var nCurrIndex = _nCurrIndex || 0;
  function name(i){ return i == 0 ? _sPageName + "." + _sPageExt : _sPageName + "_" + i + "." + _sPageExt; }
  document.write(nCurrIndex == 0 ? "首页 " : "<a href=\"" + name(0) + "\">首页</a> ");
  document.write(nCurrIndex == 0 ? "上一页 " : "<a href=\"" + name(nCurrIndex - 1) + "\">上一页</a> ");
  document.write(nCurrIndex + 1 >= _nPageCount ? "下一页 " : "<a href=\"" + name(nCurrIndex + 1) + "\">下一页</a> ");
  document.write(nCurrIndex + 1 >= _nPageCount ? "尾页" : "<a href=\"" + name(_nPageCount - 1) + "\">尾页</a>");
  document.write("&nbsp;共" + _nPageCount + "页");
}
