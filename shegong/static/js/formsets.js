// Add rows to a Django formset in the browser: clone the empty form kept in <template>.
document.addEventListener("click", function (event) {
  var button = event.target.closest(".sg-formset-add");
  if (!button) return;
  var box = button.closest(".sg-formset");
  var prefix = box.dataset.formset;
  var total = box.querySelector("#id_" + prefix + "-TOTAL_FORMS");
  var index = parseInt(total.value, 10);
  var html = box.querySelector("template").innerHTML.replace(/__prefix__/g, String(index));
  box.querySelector(".sg-formset-rows").insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
});
