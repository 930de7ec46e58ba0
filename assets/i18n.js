/* The reader's language in the address: a language the reader chose (html data-lang-chosen="1", set by the server)
 * stays in the address bar after every move inside the dashboard, so a copied link opens in the same language; the
 * navbar's language menu reloads the same page, filters included, in the language picked. */
(function () {
    "use strict";

    var LANG = /(^|[?&])lang=[^&#]*/;

    function withLanguage(search, code) {
        var rest = search.replace(/^\?/, "").split("&").filter(function (p) { return p && !/^lang=/.test(p); });
        rest.push("lang=" + encodeURIComponent(code));
        return "?" + rest.join("&");
    }

    function keep() {
        var html = document.documentElement;
        if (html.getAttribute("data-lang-chosen") !== "1" || LANG.test(window.location.search)) { return; }
        window.history.replaceState(window.history.state, "",
            window.location.pathname + withLanguage(window.location.search, html.lang) + window.location.hash);
    }

    window.addEventListener("_dashprivate_pushstate", keep);
    window.addEventListener("popstate", keep);
    document.addEventListener("DOMContentLoaded", keep);
    document.addEventListener("click", function (event) {
        var item = event.target.closest && event.target.closest("[data-set-lang]");
        if (!item) { return; }
        event.preventDefault();
        window.location.assign(window.location.pathname +
            withLanguage(window.location.search, item.getAttribute("data-set-lang")) + window.location.hash);
    });
}());
