/* When the login has ended (logged out on another device, a new password, the account removed, or
   LAGESBILD_SESSION_HOURS passed), the server answers the page's requests with 401 "Inte inloggad".
   Dash would then do nothing at all on a click: go to the login page instead, and back here after it.
   When the account's role was lowered while the page was open (an analytiker made läsare), the
   server refuses the page's callbacks with 403 and Dash again did nothing, leaving the last map or
   upload on screen: load the page again, so that its layout says what the role may not see. A page
   that is refused again within half a minute is not reloaded again (no loop). */
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
    window.fetch = function () {
        return fetchFirst.apply(this, arguments).then(function (response) {
            if (leaving || String(response.url || '').indexOf('/_dash-') === -1) { return response; }
            if (response.status === 401) {
                leaving = true;
                const here = window.location.pathname + window.location.search;
                window.location.assign('/login?next=' + encodeURIComponent(here));
            } else if (refusedByRole(response)) {
                reloadOnce();
            }
            return response;
        });
    };
})();
