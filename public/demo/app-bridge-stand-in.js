// Demo only. Shopify's App Bridge script comes from its CDN, which this machine cannot reach. This stand-in
// gives the embedded pages what App Bridge would: window.shopify.idToken(), toasts, and fetches carrying the
// session token, so the real server-side authentication runs unchanged.
(function () {
  var token = null;
  var tokenAt = 0;
  function idToken() {
    if (token && Date.now() - tokenAt < 5 * 60 * 1000) return Promise.resolve(token);
    return originalFetch("/demo/session-token").then(function (r) { return r.text(); }).then(function (t) {
      token = t; tokenAt = Date.now(); return t;
    });
  }
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url, window.location.href);
    if (url.origin !== window.location.origin || url.pathname === "/demo/session-token") return originalFetch(input, init);
    return idToken().then(function (t) {
      var headers = new Headers((init && init.headers) || (typeof input !== "string" ? input.headers : undefined));
      headers.set("Authorization", "Bearer " + t);
      return originalFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };
  function toast(message, options) {
    var el = document.createElement("div");
    el.setAttribute("role", "status");
    el.className = "demo-toast" + (options && options.isError ? " demo-toast--error" : "");
    el.textContent = message;
    el.style.cssText = "position:fixed;left:50%;bottom:24px;transform:translateX(-50%);background:" + (options && options.isError ? "#8e1f0b" : "#303030") + ";color:#fff;padding:10px 16px;border-radius:8px;font:14px system-ui;z-index:1000";
    document.body.appendChild(el);
    setTimeout(function () { el.remove(); }, (options && options.duration) || 3000);
  }
  // Inside Shopify the <ui-nav-menu> links become the admin sidebar's entries; here they are a tab row on top.
  // A constructed style sheet, not a <style> element: a node added to <head> before React hydrates the document
  // makes hydration fail (React errors 418/423) and the whole page render again on the client.
  var navStyle = new CSSStyleSheet();
  navStyle.replaceSync(
    "ui-nav-menu{display:flex;flex-wrap:wrap;gap:4px;padding:8px 16px;background:#fff;border-bottom:1px solid #e3e3e3;font:14px system-ui,sans-serif}" +
    "ui-nav-menu a{padding:6px 10px;border-radius:8px;color:#303030;text-decoration:none}" +
    "ui-nav-menu a:hover,ui-nav-menu a:focus-visible{background:#f1f1f1}");
  document.adoptedStyleSheets = document.adoptedStyleSheets.concat([navStyle]);
  window.shopify = {
    idToken: idToken,
    toast: { show: toast, hide: function () {} },
    loading: function () {},
    config: { apiKey: "demo", shop: "demo-shop.myshopify.com", locale: "en" },
    environment: { embedded: true, mobile: false, pos: false },
    saveBar: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () {} },
    modal: { show: function () { return Promise.resolve(); }, hide: function () { return Promise.resolve(); }, toggle: function () {} },
  };
})();
