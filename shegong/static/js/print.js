// shegong print pages: the toolbar's 打印 button (no inline scripts: CSP script-src 'self').
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
