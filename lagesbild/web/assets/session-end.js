/* When the login has ended (logged out on another device, a new password, the account removed, or
   LAGESBILD_SESSION_HOURS passed), the server answers the page's requests with 401 "Inte inloggad".
   Dash would then do nothing at all on a click: go to the login page instead, and back here after it.
   When the account's role was lowered while the page was open (an analytiker made läsare), the
   server refuses the page's callbacks with 403 and Dash again did nothing, leaving the last map or
   upload on screen: load the page again, so that its layout says what the role may not see. A page
   that is refused again within half a minute is not reloaded again (no loop). When the database server
   does not answer, the server answers the page's callbacks with 503 and its Swedish sentence, and Dash
   would again leave the last answer on screen without a word: the sentence is shown in a banner at the
   bottom of the window (the menu stays usable) until a callback is answered again. */
(function () {
    const fetchFirst = window.fetch;
    if (!fetchFirst) { return; }
    const RELOADED = 'lagesbild-role-reload';
    let leaving = false;
    function refusedByRole(response) {
        const type = response.headers && response.headers.get('Content-Type') || '';
        return response.status === 403 && type.indexOf('application/json') !== -1;
    }
    function reloadOnce() {
        const here = window.location.pathname + window.location.search;
        let last = null;
        try { last = JSON.parse(window.sessionStorage.getItem(RELOADED) || 'null'); } catch (e) { last = null; }
        if (last && last.here === here && Date.now() - last.at < 30000) { return; }
        try { window.sessionStorage.setItem(RELOADED, JSON.stringify({here: here, at: Date.now()})); }
        catch (e) { return; }  // nowhere to remember the reload: better no reload than a loop
        leaving = true;
        window.location.reload();
    }
    const BANNER = 'lagesbild-db-unreachable';
    function showUnreachable(response) {
        response.clone().text().then(function (text) {
            let banner = document.getElementById(BANNER);
            if (!banner) {
                banner = document.createElement('div');
                banner.id = BANNER;
                banner.setAttribute('role', 'alert');
                banner.style.cssText = 'position:fixed;bottom:0;left:0;right:0;z-index:10000;padding:0.6em 1em;' +
                    'background:#fff3cd;color:#3d2f00;border-top:2px solid #b38600;font-size:1.1em;' +
                    'text-align:center';
                document.body.appendChild(banner);
            }
            banner.textContent = (text || '').trim().slice(0, 300) ||
                'Databasen svarar inte just nu, försök igen om en stund.';
        }).catch(function () { return null; });
    }
    function answeredAgain() {
        const banner = document.getElementById(BANNER);
        if (banner) { banner.remove(); }
    }
    window.fetch = function () {
        return fetchFirst.apply(this, arguments).then(function (response) {
            if (leaving || String(response.url || '').indexOf('/_dash-') === -1) { return response; }
            if (response.status === 401) {
                leaving = true;
                const here = window.location.pathname + window.location.search;
                window.location.assign('/login?next=' + encodeURIComponent(here));
            } else if (refusedByRole(response)) {
                reloadOnce();
            } else if (response.status === 503) {
                showUnreachable(response);
            } else if (response.ok) {
                answeredAgain();
            }
            return response;
        });
    };
})();
