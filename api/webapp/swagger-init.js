// Starts Swagger UI on the API's own OpenAPI document (a file, so that the docs
// page runs under a Content-Security-Policy without inline scripts).
window.addEventListener("load", () => {
  window.ui = SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
