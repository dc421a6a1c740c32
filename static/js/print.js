// Buttons marked data-print open the browser's print dialog (no inline handlers,
// so the pages keep working under a Content-Security-Policy without 'unsafe-inline').
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
