/* When the login has ended (logged out on another device, a new password, the account removed, or
   LAGESBILD_SESSION_HOURS passed), the server answers the page's requests with 401 "Inte inloggad".
   Dash would then do nothing at all on a click: go to the login page instead, and back here after it. */
(function () {
    const fetchFirst = window.fetch;
    if (!fetchFirst) { return; }
    let leaving = false;
    window.fetch = function () {
        return fetchFirst.apply(this, arguments).then(function (response) {
            if (response.status === 401 && !leaving && String(response.url || '').indexOf('/_dash-') !== -1) {
                leaving = true;
                const here = window.location.pathname + window.location.search;
                window.location.assign('/login?next=' + encodeURIComponent(here));
            }
            return response;
        });
    };
})();
