/* Accessible names and keyboard focus for Dash's dropdowns and sliders (dash 4.4), which render neither:
 * - a dropdown's keyboard entry is an input marked aria-hidden (axe: aria-hidden-focus) and its button is named by its
 *   value alone ("All"): the button takes the focus instead (Enter opens it, typing searches, Escape comes back to
 *   it), and its name starts with its <label for=...>.
 * - a slider's thumb (role=slider) and its number box have no name: both take the name of the nearest element
 *   marked data-a11y-name (ui/a11y.py `named`).
 * Attributes are set again whenever Dash renders (a MutationObserver), and only where they differ, so the observer
 * does not wake itself. */
(function () {
    "use strict";

    function set(el, name, value) {
        if (el && el.getAttribute(name) !== value) { el.setAttribute(name, value); }
    }

    function fixDropdown(wrapper) {
        var button = wrapper.querySelector(":scope > button.dash-dropdown");
        if (!button) { return; }
        var target = wrapper.querySelector(":scope > .dash-dropdown-focus-target");
        if (target) { set(target, "tabindex", "-1"); }
        set(button, "tabindex", "0");
        if (!button.id) { return; }
        var label = document.querySelector('label[for="' + CSS.escape(button.id) + '"]');
        var named = wrapper.closest("[data-a11y-name]");
        var own = button.getAttribute("aria-labelledby") || "";
        var values = own.split(" ").filter(function (id) { return id && id.indexOf(button.id + "-value") === 0; });
        if (label) {
            if (!label.id) { label.id = button.id + "-label"; }
            set(button, "aria-labelledby", [label.id].concat(values).join(" "));
        } else if (named) {
            set(button, "aria-label", named.getAttribute("data-a11y-name"));
        }
    }

    function fixSlider(container) {
        var named = container.closest("[data-a11y-name]");
        if (!named) { return; }
        var name = named.getAttribute("data-a11y-name");
        container.querySelectorAll('[role="slider"]').forEach(function (thumb) { set(thumb, "aria-label", name); });
        container.querySelectorAll("input").forEach(function (box) { set(box, "aria-label", name); });
    }

    function fixAll() {
        document.querySelectorAll(".dash-dropdown-wrapper").forEach(fixDropdown);
        document.querySelectorAll(".dash-slider-container").forEach(fixSlider);
    }

    var pending = false;
    new MutationObserver(function () {
        if (pending) { return; }
        pending = true;
        window.requestAnimationFrame(function () { pending = false; fixAll(); });
    }).observe(document.documentElement, {childList: true, subtree: true});
    document.addEventListener("DOMContentLoaded", fixAll);
}());
