// Shows the "Print" buttons (hidden without JavaScript) and prints the page when pressed.
// A file of its own, not inline: the site's Content-Security-Policy forbids inline scripts.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
