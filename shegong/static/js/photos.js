// Show thumbnails of the photos chosen in a file input before they are uploaded.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (input.type !== "file") return;
  var box = document.querySelector('[data-preview-for="' + input.id + '"]');
  if (!box) return;
  box.replaceChildren();
  Array.prototype.forEach.call(input.files, function (file) {
    if (!/^image\//.test(file.type)) return;
    var img = document.createElement("img");
    img.src = URL.createObjectURL(file);
    img.alt = file.name;
    img.className = "sg-thumb";
    img.onload = function () { URL.revokeObjectURL(img.src); };
    box.appendChild(img);
  });
});
