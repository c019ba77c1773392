// Vigie: send Django's CSRF token with every HTMX request.
document.body.addEventListener("htmx:configRequest", function (event) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});

// Vigie: close the site notice (django-dsfr's template used an inline onclick, which the CSP forbids).
document.addEventListener("click", function (event) {
  const button = event.target.closest("[data-vigie-close-notice]");
  if (button) {
    button.closest(".fr-notice").remove();
  }
});
