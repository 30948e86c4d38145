// shegong: small behaviours shared by every page. No inline scripts (CSP: script-src 'self').
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var text = status === 403 ? "您无权执行此操作。" : status === 404 ? "没有找到，或您无权查看。" : "操作失败（" + status + "），请稍后重试。";
  window.alert(text);
});
