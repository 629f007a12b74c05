"""What each test does, assumes and cannot tell, in plain Swedish: the one text for the Metod page and
the meeting pack's methods section.

Each entry of :func:`method_texts` is ``(heading, what it does, what it assumes, what it cannot tell)``.

Examples
--------
>>> texts = method_texts(alpha=0.05, cell_size=200, min_population=1000)
>>> [t[0] for t in texts][:3]
['Förändring mellan två perioder', 'Många jämförelser samtidigt', 'Trend över flera perioder']
"""

from __future__ import annotations


def _pct(alpha: float) -> str:
    return f"{alpha * 100:g}".replace(".", ",") + "\u00a0%"


def method_texts(*, alpha: float, cell_size: float, min_population: int) -> list[tuple[str, str, str, str]]:
    """The method texts with the current settings filled in."""
    a, cell = _pct(alpha), f"{float(cell_size):g}"
    pop = f"{int(min_population):,}".replace(",", "\u00a0")
    return [
        ("Förändring mellan två perioder",
         "Antalet anmälda brott i två perioder jämförs med hänsyn till periodernas längd (perioder "
         "som är lika långa så när som på en skottdag jämförs som lika långa, som förändringen visas). "
         "Hur mycket "
         "antalet brukar variera av sig självt skattas för varje plats och brottskategori ur dess egen "
         "månadshistorik (kvasi-Poisson: ett antal som varierar φ gånger mer än ren slump), och testet "
         "tar hänsyn till det. En förändring kallas statistiskt säkerställd när den är större än den "
         f"vanliga variationen (p < {a} efter korrigering för många jämförelser).",
         "Minst 24 månader med data behövs för att skatta variationen. Källor som bara ger hela år "
         "eller kvartal (Brå) jämförs år med år; variationen skattas då ur källans egna år (eller "
         "kvartal), minst 6 stycken. Med kortare historik används "
         "det exakta Poissontestet, som antar att brotten inträffar oberoende av varandra; det står då "
         "”exakt Poissontest: för kort historik” vid bedömningen, och bedömningen kan vara för "
         "lättvindig. Med brott bara under en eller två månader skattas variationen kring medelvärdet "
         "(utan trend och säsong): tolv anmälningar under en enda månad är ett utbrott, inte tolv "
         "oberoende brott. Byter platsens antal källa (t.ex. månadsantal ur en fil och sedan "
         "händelsedata) får varje källa en egen nivå när variationen skattas, så att källbytet inte "
         "räknas som slumpvariation. Månaderna antas variera oberoende av varandra kring en jämn trend "
         "(och, från 36 månader, en jämn årscykel), med en varians som är φ gånger medelvärdet och samma φ "
         "i de jämförda perioderna som i historiken. φ skattas med osäkerhet; testet räknar med den "
         "(F-fördelningen) men kan inte se en variation som bara finns i de jämförda perioderna. Testet "
         "är en approximation för stora antal: när färre än fem brott väntas i en period om inget "
         "ändrats blir p-värdet aldrig lägre än det exakta Poissontestets (0 mot 5 brott: p = 0,0625, "
         "inte säkerställt).",
         "Testet säger inte varför antalet ändrats. Två perioder med olika månader av året (T1 mot "
         "T2, mars mot april) skiljer sig ofta bara av säsongen; raden säger det, och samma period "
         "ett annat år är den rättvisa jämförelsen. Kommer periodernas antal från olika källor (till "
         "exempel månadsantal ur en fil och sedan händelsedata, som bara räknar brott med koordinater) "
         "testas paret inte: ett källbyte är ingen förändring av brottsligheten; månadsdiagrammet visar källbytet som en prickad linje. Ett år som är högt rakt igenom (t.ex. en "
         "polisinsats) syns inte i månadsvariationen. När två hela år (eller längre perioder) jämförs "
         "och platsen har minst sex hela år med data utöver dem prövas skillnaden därför också mot hur "
         "mycket de åren varierar sinsemellan, när de varierar mer än månaderna visar (raden säger "
         "det). Med kortare historik, och för perioder kortare än ett år, görs det inte: när nivån "
         "skiftar 10 % från år till år utan verklig förändring kallas då omkring var femte jämförelse "
         "av 20 brott i månaden säkerställd, och omkring hälften vid 100 brott i månaden (simulering; "
         "med tio års data och prövningen mot åren omkring var tjugonde). Se en säkerställd förändring "
         "av stora antal med kort historik som en signal att titta närmare på, inte som ett bevis. ”Ingen säkerställd förändring” "
         "betyder inte att inget hänt, bara att skillnaden ryms i den vanliga variationen."),
        ("Många jämförelser samtidigt",
         "En sida visar många bedömningar på en gång (översiktens alla platser och kategorier, en plats "
         "tabell, en trygghetssida, alla rutor på kartan). Med många test blir några ”säkerställda” av "
         f"ren slump: med 900 jämförelser omkring 45 vid {a}. Därför korrigeras p-värdena i varje "
         "tabell tillsammans (Benjamini–Hochberg). På Jämför platser är förändringarna över tid en "
         "familj och skillnaderna mellan platser en annan, så att stora skillnader mellan platser inte "
         "gör en svag förändring säkerställd. En plats kategorier korrigeras alltid tillsammans, också "
         "de som inte visas, så att en kategoris bedömning inte beror på vilka kategorier som är valda; "
         "noten under tabellen säger hur många som visas och hur många som gäller platsens övriga "
         "kategorier. Sidan anger hur många jämförelser den visar och hur "
         "många av de säkerställda som i genomsnitt högst kan väntas vara slumpfynd. Samma jämförelse "
         "kan därför vara säkerställd på platsens sida, där färre jämförelser prövas samtidigt, men "
         "inte i översikten, där den är en av många fler och kravet är högre.",
         f"Korrigeringen håller den förväntade andelen slumpfynd bland de säkerställda under {a} när "
         "testen är oberoende eller positivt beroende av varandra.",
         "Den säger inte vilka av de säkerställda som är slumpfynd. Det p-värde som visas är det "
         "korrigerade, så att p-värde och bedömning alltid stämmer överens. Konfidensintervall som "
         "visas bredvid korrigerade bedömningar (trender, trygghetsmätningens skillnader) breddas på "
         "samma sätt (Benjamini–Yekutieli: nivån 1 − R·α/m när R av m test är säkerställda, minst "
         "R = 1), så att ett intervall utan ingen förändring hör ihop med en säkerställd bedömning."),
        ("Trend över flera perioder",
         "Poissonregression av antalet per period (med periodernas längd och deras läge i tiden, så "
         "att en period utan data mellan två andra håller sitt avstånd), med samma skattade variation "
         "som ovan (för år som källan ger hela, som Brås årsstatistik: variationen mellan källans egna "
         "år). Varierar perioderna mer kring trenden än månaderna visar, räknar testet med periodernas "
         "egen variation (kvasi-Poisson med n − 2 frihetsgrader). Kvoten visar hur mycket antalet "
         "ändras per period. Konfidensintervallet är profillikelihoodintervallet: de kvoter som samma "
         "test inte förkastar (kvoten mellan likelihoodkvoten och den skattade variationen under "
         "F-fördelningens gräns), så att intervallet utesluter 1 precis när trenden är säkerställd; "
         "det är inte symmetriskt kring kvoten. Mann–Kendalls test ges som "
         "andra åsikt när det alls kan bli säkerställt (från fem perioder).",
         "En jämn procentuell förändring per period; minst tre hela perioder, som inte överlappar "
         "och som kommer från samma källa (Brås helårssiffror följda av polisens händelser, eller "
         "månadsantal ur en fil följda av händelsedata, trendas inte: ett byte av källa är ingen "
         "trend). Med få perioder har testet liten styrka när åren "
         "varierar mycket. Med bara tre perioder kan periodernas egen variation inte skattas (en "
         "frihetsgrad): skiftar nivån från år till år mer än månaderna visar kallas en trendlös serie "
         "ibland en trend (simulering: omkring var tionde när nivån skiftar 20 % från år till år, var "
         "sextonde vid 10 %), och en trend över tre perioder säger det. Testet är en approximation "
         "för stora antal: när färre än fem brott väntas i någon period om det inte finns någon trend "
         "blir p-värdet aldrig lägre än det exakta testets (som fördelar periodernas sammanlagda antal "
         "efter deras längd; 0, 2 och 4 brott: p = 0,0768, inte säkerställt), och intervallet räknas då "
         "från det p-värdet, så att det stämmer med bedömningen. Ligger alla brott i den första eller "
         "den sista perioden är kvoten 0 eller obegränsad, och intervallet är ensidigt (0, 0, 5 brott: "
         "minst +62,6 % per period): de kvoter som något av de två testen inte förkastar.",
         "En trend säger inget om orsaken och kan inte förlängas in i framtiden."),
        ("Partiella perioder och månader",
         "Bara hela kalendermånader räknas. En månad som datauttaget slutar mitt i (uttagsdatum, eller "
         "utan uttagsdatum det senaste brottets datum: mer än sex dagar före månadens slut, eller så "
         "många tomma dagar i slutet att fler än tre brott hade väntats där med filens antal brott per "
         "dag) räknas inte, också när filen är äldre och nyare data finns bredvid (då saknas den "
         "månaden för filens platser och kategorier, och dess uttagsdatum kapar inte de nyare "
         "data). Likaså i början: kommer en händelsefils första brott så sent i månaden att "
         "fler än tre brott hade väntats före det (sex dagar utan känt antal per dag), började filen "
         "mitt i månaden, och den räknas inte. När den senaste perioden inte är komplett jämförs "
         "samma månader i varje period (lika med lika), och tabellen märks med *. Det görs för varje "
         "kategori för sig: en kategori vars data tar slut tidigare kapas där dess egna data tar slut "
         "(och likaså Alla, som summerar den), medan övriga kategorier jämförs hela perioder; en not "
         "säger vilka kategorier som kapats och hur. Slutar en källas data mitt i en månad räknas den "
         "månaden inte med, även där en annan källa har hela månaden. Perioder som delar en hel månad "
         "jämförs inte (samma brott skulle räknas på båda sidor) och får ingen trend. Perioder utan "
         "data visas som ”saknas”, aldrig som 0.",
         "Att brott anmäls ungefär lika snabbt i alla perioder.",
         "Brott som anmäls sent saknas i den senaste månaden även när den räknas som hel."),
        ("Brott per 1 000 invånare",
         "Antalet delas med befolkningen det år perioden gäller och räknas om till ett helt år, så att "
         "korta eller kapade perioder går att jämföra. Befolkningen för år mellan två kända år "
         "interpoleras, och det anges. Platser med färre än "
         f"{pop} invånare får ingen kvot. Kvoten har ett 95-procentigt konfidensintervall för antalet: "
         "exakt Poisson (Garwood), och när platsens månader varierar mer än slumpen (kvasi-Poisson, "
         "samma skattning som testet) vidgat med den variationen.",
         "Befolkningen (folkbokförda) speglar dem som vistas på platsen.",
         "På torg och i centrum vistas många fler än de som bor där; kvoten säger då lite. "
         "Bedömningen ”säkerställd” gäller antalet brott, inte kvoten: har befolkningen ändrats mer "
         "än 2 % mellan perioderna säger raden det (fler brott i ett område som växer kan vara "
         "samma risk per invånare). Intervallet tar befolkningen som känd (folkmängden 31 december, "
         "interpolerad mellan kända år) och visar osäkerheten i en plats kvot, inte om två platser "
         "skiljer sig: det gör testet av skillnaden."),
        ("Platsens andel av stadsdelsområdet och staden",
         "Platsens andel av områdets anmälda brott per period. Om andelen ändrats sedan perioden före "
         "testas i en fyrfältstabell (platsen och resten av området, två perioder): med Fishers "
         "exakta test när varken platsens eller resten av områdets antal varierar mer än slumpen, annars "
         "med likelihoodkvottestet delat med variationen φ (Rao–Scott) mot F-fördelningen, som i "
         "jämförelsen mellan perioder. φ är platsens egen, eller, när resten av området varierar mer, "
         "de båda vägda efter hur mycket de rör andelen: ett stort område som svänger mycket från år "
         "till år flyttar andelen lika mycket som platsen själv. Väntas färre än fem brott i en ruta av "
         "tabellen blir p-värdet aldrig lägre än Fishers exakta tests. Alla andelar i diagrammet korrigeras "
         "tillsammans (Benjamini–Hochberg).",
         "Att platsens och resten av områdets variation, skattade ur deras egna månadshistorik, gäller "
         "också andelen.",
         "En ändrad andel kan komma av att resten av området ändrats, inte platsen."),
        ("Senaste 28 dagarna, hittills i år och senaste 12 månaderna",
         "Brotten inne på platsen räknas per dag fram till platsens egen sista dag med data (dagen "
         "före uttagsdatum för den fil som täcker platsen, annars det senaste brottets datum när filen "
         "slutar mitt i en månad; slutar en annan fil senare gäller det inte platsen) och jämförs "
         "med samma dagar ett år tidigare, med samma "
         "test som jämförelsen mellan perioder (platsens och kategorins variation ur "
         "månadshistoriken; de senaste 12 månaderna också mot hur mycket platsens övriga år varierar, "
         "som två hela år) och vägt efter antalet dagar. Hela tabellen korrigeras för många test "
         "(Benjamini–Hochberg). En jämförelse som berör en månad utan händelsedata testas inte.",
         "Händelsedata med koordinater för båda perioderna.",
         "28 dagar är kort: ett enda tillfälle med många anmälningar ger stort utslag, och samma dagar "
         "ett år tidigare kan ha andra helger och lov."),
        ("Aktiviteters effekt (före och efter)",
         "Lika långa perioder före och efter start jämförs. Månaden då aktiviteten startar räknas "
         "till perioden efter, hela månaden, också när starten är mitt i månaden. Perioderna skärs ur "
         "platsens egna månader med data; saknar jämförelseområdet data för en kategori bedöms "
         "platsens egen förändring ändå, och raden säger att jämförelsen med området inte kan göras. "
         "En plats med bara siffror för hela år har inga månader att dela upp, och raden säger vilka "
         "år den har. Huvudtestet jämför "
         "platsens kvot efter/före med jämförelseområdets (resten av stadsdelsområdet): om båda ökat "
         "med 10 % blir bedömningen "
         "”ingen säkerställd skillnad”. Testen tar hänsyn till hur mycket antalen brukar variera "
         "(platsens och jämförelseområdets egna månadshistorik, var och en vägd efter hur osäker den gör "
         "kvoten mot kvoten: ett stort jämförelseområde som varierar mycket väger ändå lätt mot en liten "
         "plats; Fishers exakta test när ingen av dem varierar mer än slumpen). Platsens variation "
         "skattas ur hela dess egen historik, också när jämförelseområdets data är kortare; ett område "
         "med för kort historik räknas som om det varierade som slumpen. WDD (Wheeler & "
         "Ratcliffe 2018) visas "
         "bara när ett förskjutningsområde runt platsen och ett jämförelseområde med jämförbar nivå "
         "(halva till dubbla antalet före start) finns. Varje tabell med före och efter korrigeras för "
         "många test (Benjamini–Hochberg): alla aktiviteter och brottskategorier på en plats, alla "
         "platser och brottskategorier för en aktivitet, eller på Åtgärdsplan alla visade aktiviteter "
         "med deras platser och brottskategorier, också kategorier som inte visas; varje slags test "
         "(före/efter, mot jämförelseområdet, WDD) för sig. Tabellens p-värden är de korrigerade, och "
         "konfidensintervallen för kvoten mot jämförelseområdet (i nedladdningen) breddas till "
         "Benjamini–Yekutielis nivå 1 − R·α/m. Konfidensintervallet för kvoten mot jämförelseområdet "
         "är de kvoter som samma test inte förkastar (Fishers exakta test: de yttersta gränserna; med "
         "variation: likelihoodkvottestet mot F-fördelningen), så att intervallet utesluter 1 precis när "
         "skillnaden är säkerställd.",
         "Att platsen och jämförelseområdet hade utvecklats lika utan aktiviteten, och att månaderna "
         "varierar oberoende av varandra.",
         "Samband är inte effekt. Startade aktiviteten just efter en topp kan en nedgång komma av sig "
         "själv (regression mot medelvärdet) – då varnar sidan: när de tre månader i rad som hade flest "
         "brott under de två åren före start slutar någon av de tre sista månaderna före start (en "
         "aktivitet startar ofta en månad eller två efter en ökning). Fönster kortare än ett år jämför olika "
         "årstider – då varnar sidan också. Startade eller avslutades en annan aktivitet på platsen inom "
         "fönstren, eller avslutades aktiviteten själv före efterfönstrets slut, mäter jämförelsen "
         "också det, och raden varnar. Raden varnar också när platsens brottsdata före och efter start "
         "kommer från olika källor (till exempel månadsantal ur en fil före och händelsedata efter): "
         "ett källbyte flyttar antalen lika mycket som en aktivitet."),
        ("Trygghetsmätningen",
         "Andelar med 95 % konfidensintervall (Wilson). Platsen jämförs med resten av "
         "stadsdelsområdet och resten av staden (när deras siffror innehåller platsens svarande), med "
         "z-test och intervall för skillnaden ur samma test (scoreintervall, Farrington–Manning: det "
         "utesluter 0 precis när testet säger säkerställd); förändring sedan förra mätningen på samma "
         "sätt. Sidans test korrigeras tillsammans (Benjamini–Hochberg), och intervallen för "
         "skillnaderna breddas därefter (Benjamini–Yekutieli: nivån 1 − R·α/m, α signifikansnivån, "
         "när R av m test är säkerställda, minst R = 1), så att ett intervall som inte innehåller 0 "
         "hör ihop med en säkerställd skillnad. Med färre än 5 väntade svar i någon grupp gäller "
         "inte z-testets approximation; då används Fishers exakta test. Med högst 300 svarande i "
         "båda grupperna blir p-värdet aldrig lägre än Barnards exakta test (med några dussin svarande "
         "och en andel nära hälften kallade z-testet annars upp till 6,5 % av oförändrade andelar "
         "säkerställda vid 5 %). Andelen för resten av "
         "området räknas fram ur två publicerade, avrundade andelar, och avrundningen förstoras när "
         "platsen har en stor del av områdets svarande: resten prövas då som det mindre urval som "
         "avrundningen gör den till (raden säger det).",
         "Kända antal svarande och att de svarande är ett enkelt slumpmässigt urval. En vägd andel "
         "(viktad efter till exempel ålder och kön) är osäkrare än antalet svarande säger: när filen "
         "anger undersökningens designeffekt räknar intervall och test med färre svarande (antalet "
         "delat med designeffekten, raden säger det); anger den ingen räknas de som ett enkelt "
         "slumpmässigt urval, och intervallen kan då vara för smala och skillnader kallas "
         "säkerställda för lätt. En designeffekt under 1 räknas som 1: vägning ger aldrig under 1, "
         "bara ett stratifierat urval kan göra det, och filen säger inte hur talet är skattat "
         "(raden säger det).",
         "Olika svarsfrekvens mellan områden kan ge skillnader som inte är verkliga."),
        ("Heta och kalla punkter på kartan",
         f"Getis–Ord Gi* på ett rutnät med {cell} m rutor som bara täcker land: inom Stockholms stad "
         "är vattnet borttaget (stadens stadsdelar utan vatten), och rutor som till mindre än hälften "
         "ligger på land räknas inte. Utanför Stockholms stad finns ingen vattenkarta i verktyget: där "
         "räknas rutor över vatten som rutor utan brott, vilket kan göra rutor på land nära vatten "
         "heta. Rutorna korrigeras för många test (Benjamini–Hochberg). Med i genomsnitt "
         "minst 20 brott per ruta används testets normalapproximation, om inte antalen per ruta "
         "varierar mer än dubbelt så mycket som slumpen ger eller är så snedfördelade att "
         "approximationen brister i den yttersta svans som korrigeringen kräver (25 brott per ruta "
         "som varierade 1,9 gånger mer än slumpen gav annars en het eller kall punkt i 7 av 100 "
         "slumpkartor). Med färre brott, eller så ojämna antal, "
         "håller den inte (även rutor utan något mönster i var de ligger blev då heta punkter), och "
         "varje rutas grannskap "
         "jämförs i stället med rutorna utanför det: med deras medelvärde och spridning per ruta "
         "(negativ binomialfördelning när antalen varierar mer än slumpen, annars Poisson). Ett "
         "rutnät med färre än 30 rutor testas inte (som ArcGIS kräver); för ett litet område läggs "
         "då ett finare rutnät, med omkring 40 rutor, och kartan säger det.",
         "Att brott kan registreras överallt i rutnätet och att koordinaterna är rätt. Med få brott "
         "per ruta: att rutorna utanför ett grannskap är dess bakgrund och att rutorna i ett "
         "grannskap varierar oberoende av varandra.",
         "En het punkt visar var brott klumpar sig, inte varför; platser med många besökare blir "
         "heta även om risken per besökare är låg. Brott som klumpar sig över flera intilliggande "
         "rutor kan ge fler heta rutor än testet räknar med, och ett område som är hett nästan "
         "överallt har ingen lugn bakgrund att jämföras med."),
        ("Heta punkter som tillkommit, kvarstår eller upphört",
         "Kartans Gi* räknas för två perioder på samma rutnät. En ruta som är het punkt i båda kallas "
         "”kvarstående”. En ruta som är het bara i den senare perioden kallas ”ny het punkt”, och het "
         "bara i den tidigare ”upphörd”, när rutans grannskap (rutan och rutorna runt den) fått en "
         "säkerställt större respektive mindre andel av områdets brott under de månader som bara den ena "
         "perioden har (Fishers exakta test för varje ruta på kartan, korrigerat för dem alla med "
         "Benjamini–Hochberg: rutor som bytt klass har ofta grannskap som ändrats av slumpen, så "
         "korrigeringen gäller alla rutor som kunde ha bytt); annars kallas den ”het punkt i bara en period, ingen säkerställd "
         "förändring”. Sedan sist nämner en het punkt som tillkommit eller upphört på samma villkor.",
         "Som för heta och kalla punkter ovan, i var och en av perioderna. Testet av grannskapet räknar "
         "brotten som oberoende.",
         "En ruta nära gränsen kan byta klass av slumpen, och färre brott i en period ger färre heta "
         "punkter även där inget ändrats: utan testet av grannskapet kallades en ruta i kanten av en "
         "oförändrad het punkt ny eller upphörd i de flesta simuleringar. Upprepade brott på en adress "
         "gör testet för generöst. Jämför rutans antal i perioderna (och ändringen på platsen) innan "
         "något dras av det."),
        ("Koncentration till få rutor",
         "Andelen av brotten som finns i de 5 % och 10 % av rutorna med flest brott (avrundat uppåt "
         "till hela rutor, minst en).",
         "Att rutnätet bara täcker ytor där brott kan registreras (land inom platsen).",
         "Andelen är hög även när brotten är slumpvis utspridda om de är få i förhållande till "
         "rutorna: med i genomsnitt ett brott per ruta hamnar omkring 17 % av brotten i de 5 % "
         "rutorna med flest, med ett brott på fyra rutor omkring 30 %, och finns det högst lika många "
         "brott som rutor i de 5 % ligger alla brott där (simulering). Först när rutorna i genomsnitt har många brott betyder en hög "
         "andel att brotten klumpar sig. Jämför därför bara perioder och platser med ungefär lika många "
         "brott per ruta."),
        ("Jämförelse mellan platser",
         "Två platsers brott per 1 000 invånare under samma period jämförs med personår (invånare × "
         "månader / 12) som exponering: med kvasi-Poisson-test där varje plats egen variation vägs "
         "efter hur osäker den gör kvoten (ett stort område som varierar mycket väger ändå lätt mot en "
         "liten plats; en plats med för kort historik räknas som om den varierade som slumpen), eller "
         "exakt Poissontest när båda platsernas historik är för kort. Skillnaderna mellan platser "
         "korrigeras tillsammans (Benjamini–Hochberg) och förändringarna över tid i sidans andra tabell "
         "för sig; varje tabell anger hur många test den visar och hur många som är säkerställda. "
         "En plats jämförs med sitt "
         "eget stadsdelsområde eller staden utan platsen själv (platsens brott och invånare räknas "
         "också där; annars fanns de på båda sidor av testet). Liknande platser är platser av samma "
         "slag med närmast befolkning och fördelning på brottskategorier.",
         f"Känd befolkning på minst {pop} invånare för båda platserna och data för varje månad; utan "
         "det ges ingen bedömning mellan platserna.",
         "En skillnad säger inte varför; platser med många besökare (torg, centrum) får högre kvoter "
         "utan att risken för de boende är högre."),
    ]


def method_rows(**kwargs) -> list[tuple[str, list[tuple[str, str]]]]:
    """The texts as ``(heading, [(label, text), ...])`` for rendering.

    Examples
    --------
    >>> method_rows(alpha=0.05, cell_size=200, min_population=1000)[0][1][1][0]
    'Antar'
    """
    return [(h, [("Gör", does), ("Antar", assumes), ("Kan inte visa", cannot)])
            for h, does, assumes, cannot in method_texts(**kwargs)]
