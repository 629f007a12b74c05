/* Karta: the map's names are placed and its legend wrapped on the server for the size it is drawn
   at (web/views/map.py: its width follows the window; in meeting mode its height too). The window's
   size is read when the page opens (a clientside callback in web/pages/map.py); when the window
   changes size afterwards (the browser put in full screen on the projector, a window moved to another
   screen) the new size is sent once it has settled, and the map is drawn again for it. Plats and
   Jämför in meeting mode likewise (their charts are fitted to a narrow window's panel). */
(function () {
    var WAIT = 400;  /* ms without a resize before the new size is sent */
    var timer = null;
    function send() {
        timer = null;
        if (!window.dash_clientside || !window.dash_clientside.set_props) { return; }
        var size = [window.innerWidth, window.innerHeight];
        if (document.getElementById('map-content')) {
            window.dash_clientside.set_props('map-screen', {data: size});
        }
        /* Plats and Jämför fit their charts to the window in meeting mode only (figures/window.py) */
        if (!document.body.classList.contains('meeting')) { return; }
        if (document.getElementById('pl-screen')) { window.dash_clientside.set_props('pl-screen', {data: size}); }
        if (document.getElementById('cmp-screen')) { window.dash_clientside.set_props('cmp-screen', {data: size}); }
    }
    window.addEventListener('resize', function () {
        if (timer !== null) { window.clearTimeout(timer); }
        timer = window.setTimeout(send, WAIT);
    });
})();
