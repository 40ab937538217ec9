(function(){var e=1;function t(n){return fetch("/api/cms/article/list?channelId=12&pageSize=3&pageNum="+n).then(function(r){return r.json()})}t(e).then(function(d){window.__list=d.data.records})})();
