/* Upload size limit, said at once in Swedish: dcc.Upload drops a file over its max_size without a word.
   The server refuses such files as well (MAX_CONTENT_LENGTH and a check in the upload callback). */
(function () {
    function check(files, target) {
        const zone = target && target.closest ? target.closest('#dt-upload') : null;
        const limit = document.getElementById('dt-limit');
        const box = document.getElementById('dt-size-error');
        if (!zone || !limit || !box || !files) { return; }
        const max = Number(limit.getAttribute('data-max-bytes'));
        const big = Array.prototype.find.call(files, function (f) { return f.size > max; });
        box.textContent = big ? 'Filen ' + big.name + ' är för stor: största tillåtna storlek är ' +
            limit.getAttribute('data-max-mb') + ' MB. Den har inte skickats.' : '';
    }
    document.addEventListener('change', function (e) { check(e.target.files, e.target); }, true);
    document.addEventListener('drop', function (e) {
        check(e.dataTransfer && e.dataTransfer.files, e.target);
    }, true);
})();
