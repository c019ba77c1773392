// Vigie: send Django's CSRF token with every HTMX request.
document.body.addEventListener("htmx:configRequest", function (event) {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  if (match) {
    event.detail.headers["X-CSRFToken"] = decodeURIComponent(match[1]);
  }
});
