"""Exports: single charts (PNG, SVG, PDF) and the meeting pack (DOCX, PDF, ZIP).

Modules (import the one you need; nothing heavy is imported here):

==================  ===========================================================================
``figure``          :func:`~lagesbild.export.figure.export_figure`, :func:`prepare_figure`
``sizes``           the width and resolution a chart export accepts (:func:`check_size`)
``render``          kaleido batches with the system Chromium (:class:`Renderer`, :func:`render_batch`)
``pack``            :func:`~lagesbild.export.pack.build_pack` -> :class:`PackResult`
``charts``          the charts of a pack and of ``python -m lagesbild chart`` (:func:`build_chart`)
``sections``        cover and per-place content; ``methods``: the closing methods section
``content``         the content model (headings, paragraphs, tables, charts) drawn by
                    ``docx_writer`` and ``pdf_writer``
``tables``          CSV (``;``, BOM, decimal comma) and XLSX of the numbers behind charts
``safety``          suppression of small counts, formula neutralisation, safe file names
``textfit``         long category labels of exported bar charts broken into lines
``mapview``         offline map style and a map view fitted to the export size
``data``            :class:`~lagesbild.export.data.ExportData` (store frames read once), ExportError
==================  ===========================================================================
"""
