// The API's Redoc page (templates/drf_spectacular/redoc.html): Redoc writes its styles into
// <style> elements, some as its script loads, before any option could give it the nonce of
// the page's Content Security Policy. Loaded first, this gives every <style> element created
// on the page that nonce, which the browser hands to scripts only.
(function () {
  "use strict";
  var nonce = document.currentScript.nonce;
  var createElement = document.createElement;
  document.createElement = function (name) {
    var element = createElement.apply(document, arguments);
    if (String(name).toLowerCase() === "style") {
      element.nonce = nonce;
    }
    return element;
  };
})();
