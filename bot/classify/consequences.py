"""Casualties and damage: what a post says happened to people and property.

Official posts state "no casualties" as often as casualties, so negated statements are
matched as whole phrases first ("пострадавших нет", "ніхто не постраждав", "no one was
injured") and their spans are not read again as positive words. "Постраждав об'єкт" is
damage, not a casualty: casualty verbs count only next to a word for a person or a number.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.classify.numbers import find_numbers
from bot.classify.scanner import Cue, CueScanner
from bot.models import Evidence

W = r"\w*"
_PERSON = (
    r"(?:человек\w*|люд\w*|жител\w*|мирн\w*|граждан\w*|ребен\w*|дет(?:и|ей|ям)|подрост\w*|"
    r"мужчин\w*|женщин\w*|пенсионер\w*|водител\w*|сотрудник\w*|рабоч\w*|военн\w*|"
    r"людин\w*|мешкан\w*|цивільн\w*|дитин\w*|діт\w*|чоловік\w*|жінк\w*|пенсіонер\w*|"
    r"хлопч\w*|дівчин\w*|юнак\w*|водій\w*|працівник\w*|охорон\w*|охранник\w*|"
    r"жильц\w*|жилец\w*|сторож\w*|прохож\w*|пассажир\w*|пасажир\w*|пожарн\w*|спасател\w*|"
    r"рятувальник\w*|полицейск\w*|поліцейськ\w*|школьни\w*|школяр\w*|фермер\w*|"
    r"people|person|persons|residents?|civilians?|man|woman|men|women|child|children|boy|girl|"
    r"drivers?|workers?|employees?|guards?)"
)
_NONE_CASUALTIES = [
    r"потерь\s+(?:нет|не\s+было)|без\s+потерь|втрат\s+(?:немає|нема|не\s+було)|без\s+втрат",
    rf"(?:пострадавш|погибш|раненн?|жертв|травмированн){W}(?:[\s,]+[\w']+(?:-[\w']+)*){{0,6}}?[\s,:]+(?:нет|не\s+было)",
    rf"без\s+(?:пострадавш|жертв|погибш|раненн?){W}(?:\s+(?:и|или)\s+(?:разрушени|повреждени|раненн?|пострадавш){W})?",
    rf"(?:никто|ни\s+один\s+человек)(?:\s+[\w']+){{0,4}}?\s+не\s+(?:пострадал|погиб|ранен){W}",
    # "ранен никто не был", "поранених ніхто не було"
    rf"(?:ранен|пострадал|погиб){W}\s+никто\s+не\s+(?:был|оказал){W}",
    rf"(?:поранен|постраждал|загин){W}\s+ніхто\s+не\s+(?:був|було|виявил){W}",
    rf"обошлось\s+без\s+(?:пострадавш|жертв){W}(?:\s+(?:и|или)\s+(?:разрушени|повреждени){W})?",
    rf"(?:пострадавш|погибш|раненн?|жертв|постраждал|потерпіл|загибл|поранен){W}(?:[\s,]+[\w']+){{0,6}}?\s+"
    rf"не\s+(?:зафиксирован|выявлен|обнаружен|зафіксован|виявлен){W}",
    rf"(?:постраждал|загибл|поранен|жертв|травмован){W}(?:[\s,]+[\w']+){{0,6}}?[\s,:]+"
    rf"(?:немає|нема|не\s+було)",
    rf"без\s+(?:постраждал|жертв|загибл|поранен|травмован){W}(?:\s+(?:і|й|та|чи)\s+(?:поранен|постраждал|руйнуван|пошкоджен){W})?",
    rf"(?:ніхто|жодна\s+людина)(?:\s+[\w']+){{0,4}}?\s+не\s+(?:постраждав|загинув|поранен){W}",
    rf"обійшл{W}\s+без\s+(?:постраждал|жертв){W}",
    # "хозяева не пострадали", "людей не зачепило": the people of that place are unhurt
    rf"(?:хозяева|хозяин|хозяйка|жильцы|жители|люди|водитель|сотрудники|персонал)\s+не\s+"
    rf"пострадал{W}|(?:господарі|господар|мешканці|люди|жителі|водій|працівники)\s+не\s+"
    rf"постраждал{W}|люд(?:ей|и)\s+не\s+(?:зачепило|задело|зачепили)",
    r"no\s+(?:casualties|injuries|victims|fatalities|deaths)(?:\s+(?:or|and)\s+(?:damage|destruction))?",
    r"no\s+one\s+was\s+(?:hurt|injured|killed)(?:\s+or\s+(?:hurt|injured|killed|wounded))?",
    # "Сведений о пострадавших (и повреждениях) не поступало": none reported
    rf"(?:сведени|информаци|данны|сообщени){W}\s+о\s+(?:пострадавш|жертв|погибш|раненн?){W}"
    rf"(?:[\s,]+[\w'-]+){{0,6}}?\s+не\s+(?:поступал|поступил|имеется|было){W}",
    r"no\s+(?:immediate\s+)?reports?\s+of\s+(?:casualties|injuries|victims)",
    r"(?:nobody|no\s+one)\s+(?:was\s+|had\s+been\s+|has\s+been\s+)?(?:hurt|injured|killed)"
    r"(?:\s+or\s+(?:hurt|injured|killed|wounded))?",  # "Nobody was killed or injured"
    r"no\s+(?:civilians|residents|people)\s+(?:were|was|have\s+been)\s+(?:hurt|injured|killed)",
    r"(?:people|civilians|residents)\s+(?:have|were)\s+not\s+(?:been\s+)?(?:hurt|injured|killed)",
    r"without\s+(?:casualties|injuries|victims)",
    r"(?:casualties|injuries)\s+(?:were\s+)?(?:avoided|not\s+reported)",
    # "Повреждений на земле нет, пострадавших тоже": the "нет" of the clause before
    # (closing its clause: "Серед постраждалих також дитина" and "раненых тоже больше" count)
    r"(?:пострадавших|погибших|раненых|постраждалих|загиблих|поранених|жертв)\s+(?:тоже|теж|також)"
    r"(?=\s*(?:[.,;!»\"”\n]|$))",
]
_KILLED = [
    rf"погиб{W}",
    r"спасти\s+(?:\w+\s+){0,2}не\s+удалось|(?<=не )удалось\s+спасти",  # "спасти не удалось"
    r"врятувати\s+(?:\w+\s+){0,2}не\s+вдалося|(?<=не )вдалося\s+врятувати",
    rf"скончал{W}",
    r"убит(?:ы|а|о)?\b",
    rf"смертельн{W}",
    rf"загин{W}",
    rf"загибл{W}",
    r"помер(?:ла|ли)?\b",
    rf"вбит{W}",
    r"kill(?:ed|ing)\b|died\b|dead\b|fatalit\w*|death\s+toll",
    # "під завалами виявлено тіло чоловіка": a body found
    r"(?<=виявлено )тіл[оа]\b|(?<=знайдено )тіл[оа]\b|(?<=обнаружено )тел[оа]\b|"
    r"(?<=обнаружены )тела\b|(?<=найдено )тел[оа]\b|"
    r"(?<=the )bod(?:y|ies)\s+of\s+(?!(?:the|a|an)\s+(?:uav|drone|shahed|missile|rocket))",
]
_INJURED = [
    # "двоє людей звернулися по допомогу до лікарів"
    rf"звернул{W}\s+(?:по|за)\s+(?:медичн{W}\s+)?допомог{W}|обратил{W}\s+за\s+(?:медицинской\s+)?помощью",
    r"ранен(?:ы|а|о|ый|ая|ых|ые|ого|ому|ым|ыми)?\b",
    rf"ранени{W}",
    rf"поранен{W}",
    rf"поранил{W}",
    rf"порез{W}",
    rf"(?:отримав|отримала|отримали|дістав|дістала|дістали)\s+(?:[\w'-]+\s+)?поріз{W}",
    rf"травм{W}",
    rf"госпитализ{W}",
    rf"госпіталіз{W}",
    rf"осколочн{W}",
    rf"баротравм{W}|контуз{W}",  # "получил баротравму и контузию"
    # burns, bruises and smoke: "Двое сотрудников получили ожоги", "обратились к медикам с
    # ушибами", "надышалась дымом" (not "служба опіки", guardianship)
    r"(?:получил|получила|получили)\s+(?:[\w-]+\s+)?ожог\w*|(?<=с )ожогами\b|"
    r"(?<=з )опіками\b|(?:отримав|отримала|отримали|дістав|дістала|дістали|зазнав|зазнала|"
    r"зазнали)\s+(?:[\w'-]+\s+)?опіки?\b|"
    r"ушиб\w*|надышал\w*\s+дымом|"
    r"отравлени\w*\s+(?:угарным\s+газом|продуктами\s+горения)|надихал\w*\s+(?:диму|димом)|"
    r"отруєнн?\w*\s+(?:чадним\s+газом|продуктами\s+горіння)|"
    rf"обратил{W}\s+к\s+(?:медикам|врачам)|звернул{W}\s+до\s+(?:медиків|лікарів)",
    r"suffered\s+(?:burns|cuts|bruises)|smoke\s+inhalation|"
    r"(?:woman|man|resident|person|girl|boy|child|driver|pensioner)\s+was\s+cut\b(?!\s+off)|"
    r"treated\s+(?:on\s+the\s+spot|at\s+the\s+scene|by\s+(?:medics|paramedics)|for\s+"
    r"(?:cuts|burns|bruises))",
    # shrapnel hurts people only as their wound: "shrapnel shattered windows" is damage
    r"injur\w*|wound(?:ed|ing|s)?\b|hurt\b|hospitali[sz]ed\b|shrapnel\s+wounds?\b|"
    r"(?<=by )shrapnel\b",
]
# "ни люди, ни дома не пострадали": nobody and nothing
_NONE_BOTH = [
    # "обійшлося без постраждалих та пошкоджень"
    rf"обійшл{W}\s+без\s+(?:постраждал|жертв){W}\s+(?:і|й|та)\s+(?:пошкоджен|руйнуван){W}",
    rf"обошл{W}\s+без\s+(?:пострадавш|жертв){W}\s+и\s+(?:разрушени|повреждени){W}",
    # "Жодних пошкоджень та постраждалих ... немає", "ні руйнувань, ні жертв"
    rf"(?:жодн|никак){W}\s+(?:пошкоджен|руйнуван|разрушени|повреждени){W}\s+(?:і|й|та|и)\s+"
    rf"(?:постраждал|жертв|поранен|пострадавш|раненн?){W}",
    r"(?:ні|ни)\s+(?:руйнувань|пошкоджень|разрушений|повреждений)[\s,]+(?:ні|ни)\s+"
    r"(?:жертв|постраждалих|поранених|пострадавших|раненых)\b",
    r"(?:ні|ни)\s+(?:жертв|постраждалих|пострадавших)[\s,]+(?:ні|ни)\s+"
    r"(?:руйнувань|пошкоджень|разрушений|повреждений)\b",
    rf"ни\s+(?:люди|жители|один\s+человек)[\s,]+ни\s+[\w']+(?:\s+[\w']+)?\s+не\s+пострадал{W}",
    rf"ні\s+(?:люди|мешканці|жодна\s+людина)[\s,]+ні\s+[\w']+(?:\s+[\w']+)?\s+не\s+постраждал{W}",
]
_AFFECTED = [rf"пострада{W}", rf"постражда{W}", r"victims?\b|casualt\w*"]
_STATED = [  # "Есть пострадавшие": casualties stated without a count or a person word
    rf"(?:есть|имеются|є)\s+(?:пострадавш|постраждал|ранен|поранен){W}",
]
_STATED_KILLED = [rf"(?:есть|имеются|є)\s+(?:погибш|загибл){W}"]

# What a drone can hit or set on fire: "попал в общежитие", "атакував автомобіль".
_OBJECT = (
    r"(?:об'єкт|будин|підприєм|інфраструктур|склад|дах|будівл|гуртожит|житлов|багатоповерх|"
    r"авто\b|автомоб|автівк|машин|вантажівк|автобус|корабл|судн|підстанц|нафтобаз|котельн|"
    r"газопров|трубопров|приміщен|ферм|господарств|магазин|цех|ангар|елеватор|промислов|"
    r"майданчик|промышленн|промзон|площадк|маршрутк|трамва|тролейбус|троллейбус|"
    r"объект|дом|здани|предприяти|общежити|жил|многоэтаж|многоквартир|автомобил|машин|"
    r"грузовик|автобус|подстанц|нефтебаз|нпз|котельн|азс|помещени|элеватор|"
    r"подвір|двор(?![іи]ч)|садиб|усадьб|гараж|сара[йяє]|легковушк|легков|легківк)"
)
_NONE_DAMAGE = [
    r"(?<!не )(?<!не все )(?:объекты|дома|здания|постройки)\s+(?:остались\s+)?целы\b|"
    r"(?<!не )(?<!не всі )(?:об'єкти|будинки)\s+(?:залишилися\s+)?цілі\b",
    # the genitive of negation: "Есть повреждения, огня нет" states damage
    r"(?:разрушений|повреждений|ущерба|последствий)(?:[\s,]+[\w']+(?:-[\w']+)*){0,6}?[\s,]+(?:нет|не\s+было)",
    rf"(?:пострадавш|жертв){W}\s+и\s+(?:разрушени|повреждени|материальн{W}\s+ущерб){W}\s+нет",
    rf"(?:пострадавш|жертв){W}\s+и\s+(?:повреждени|разрушени){W}\s+(?:\w+\s+){{0,4}}нет",
    rf"без\s+(?:разрушени|повреждени|ущерб|последстви){W}",
    # "Пострадавших нет, разрушений тоже": the "нет" of the clause before
    r"(?:разрушений|повреждений|руйнувань|пошкоджень)\s+(?:тоже|теж|також)\b"
    r"(?!\s+(?:много|немало|багато|чимало))",
    rf"(?:сведени|информаци|данны|сообщени){W}\s+о\s+(?:[\w-]+\s+){{0,2}}(?:разрушени|повреждени|ущерб){W}"
    rf"(?:[\s,]+[\w'-]+){{0,6}}?\s+не\s+(?:поступал|поступил|имеется|было){W}",
    rf"(?:руйнуван|пошкоджен(?:ь|н)|наслідк){W}(?:[\s,]+[\w']+){{0,6}}?\s+(?:немає|нема|не\s+було)",
    rf"без\s+(?:руйнуван|пошкоджен){W}\s+(?:і|й|та|чи)\s+(?:жертв|постраждал|поранен|загибл){W}",
    rf"без\s+(?:разрушени|повреждени){W}\s+(?:и|или)\s+(?:жертв|пострадавш|погибш|раненн?){W}",
    rf"без\s+(?:руйнуван|пошкоджен){W}",
    rf"(?:жодн|никак){W}\s+(?:пошкоджен|руйнуван|разрушени|повреждени){W}",  # "Жодних пошкоджень"
    rf"(?:разрушени|повреждени|ущерб|руйнуван|пошкоджен|влуча|попадани|наслідк|последстви){W}"
    rf"(?:[\s,]+[\w']+){{0,6}}?\s+не\s+(?:зафиксирован|выявлен|обнаружен|зафіксован|виявлен){W}",
    r"no\s+(?:hits|impacts)\s+(?:were\s+)?(?:recorded|reported)",
    rf"(?:корабл|суд[ан])\w*\s+(?:\w+\s+)?не\s+(?:пострадал|получил{W}\s+повреждени){W}",
    rf"влуча{W}\s+(?:в|у|по)\s+(?:[\w']+\s+){{0,3}}не\s+було",
    r"no\s+(?:damage|destruction)|(?:was|were)\s+not\s+damaged|without\s+damage|"
    r"nothing\s+(?:was|has\s+been)\s+damaged",
    r"no\s+(?:\w+\s+){0,2}(?:infrastructure|buildings?|houses?|homes?|facilit\w+|ships?|vessels?|"
    r"cars?|vehicles?)\s+(?:was|were)\s+"
    r"(?:hit|damaged)",
]
_DAMAGE = [
    rf"поврежд{W}",
    rf"повредил{W}",
    rf"(?:влучанн|влученн|попадани){W}\s+(?:в|у|по)\s+(?:[\w'-]+\s+){{0,3}}?"
    rf"{_OBJECT}{W}",
    rf"поврежден{W}",
    rf"разруш(?!ени[ея]\s+при\s+падени){W}",
    rf"ущерб{W}",
    rf"пожар{W}",
    rf"возгоран{W}",
    rf"загорел{W}",
    rf"загорани{W}",
    rf"загорянн{W}",
    rf"горел{W}",
    rf"сгорел{W}",
    rf"згор(?:ів|іла|іли|іло){W}",
    # not "ПВО поразила" nor "поразили два беспилотника": drones destroyed, nothing damaged
    rf"(?:(?<!ппо )(?:уразил|уразив|уразили)|(?<!пво )(?<!зенитчики )поразил"
    rf"(?!\w*\s+(?:[\w-]+\s+){{0,2}}(?:бп?ла|беспилот|дрон|шахед|uav|катер|безэкипажн))){W}",
    rf"обрушил{W}|обрушени{W}|обвалил{W}|завалил{W}",  # "частично обрушилась кровля склада"
    r"гор(?:ит|ят|ить|ять)\b|пала(?:є|ють)\b",
    r"(?:влучанн|влученн|попадани)(?:я|е|ям|ями|ях)?\b",
    rf"выбит{W}|вибит{W}|вибило\b",
    rf"выбил{W}",
    r"(?:(?<=на \d )|(?<=на \d\d )|(?<=на \d\d\d )|(?<=по \d )|(?<=по \d\d )|(?<=по \d\d\d ))"
    r"локаці\w*",  # "на 7 локаціях влучили 19 БпЛА": hits at locations
    rf"наслідк{W}\s+(?:\w+\s+)?(?:влучан|попадан|удар){W}\s+(?:є|зафіксован|фиксиру|есть)",
    rf"дістал{W}\s+(?:своїх\s+)?цілей",
    rf"посечен{W}|посек(?:ло|ли|ла)\b|выгорел{W}|вигорів|вигоріл{W}",
    rf"посіч{W}|посік(?:ли|ло|ла)\b",  # "Уламки посікли скління"
    rf"пробил{W}|пробит{W}|тресну{W}|треснул{W}|лопнул{W}",  # "пробило крышу", "треснули стёкла"
    rf"пропал{W}\s+(?:свет|электричеств{W})|(?:обломк|осколк|уламк)\w*\s+(?:(?!не\b)\w+\s+)?(?:задел|зачепил)\w*+"
    r"(?!\s+(?:женщин|мужчин|человек|людей|ребен|ребён|водител|пешеход|жінк|чоловік|люд|дитин|"
    r"водій|перехож))",
    # rubble: "Триває розбір завалів" (not of an earlier strike)
    rf"(?:розбір|розбирають|разбор|разбирают)\s+завал{W}"
    r"(?![^.!?]{0,40}(?:прошл|вчераш|вчорашн|минул|попередн|previous))",
    r"загор(?:івся|ілася|ілось|ілися)\b",  # "від уламків загорівся склад"
    rf"пошкод{W}",
    rf"зруйн{W}",
    rf"руйнуван{W}",
    rf"пожеж{W}",
    rf"займан{W}",
    rf"зайнял{W}",
    rf"загоран{W}",
    rf"горіл{W}",
    rf"знеструмл{W}",
    rf"понівеч{W}",
    rf"уражен(?!о\s+(?:[\w'-]+\s+){{0,3}}?(?:бп?ла|безпілот|дрон|шахед)){W}",
    rf"(?:влучи|влучив|влучила|влучили|попал|попали)\w*\s+(?:в|у|по)\s+(?:[\w'-]+\s+){{0,3}}?"
    rf"{_OBJECT}{W}",
    rf"(?:зафіксован|зафиксирован){W}\s+(?:влучан|попадани){W}",
    r"без\s+(?:світла|электричества|электроснабжения|света|електропостачання|електрики|"
    r"електроенергії|электроэнергии)",
    # "уламки побили вікна", "разбило витрину"
    rf"(?:поби|розби|разби)(?:л|в|ли|ло|ла)\s+(?:\w+\s+)?(?:вікн|вікон|шибк|скл|окн|окон|стекл|стёкл|"
    rf"витрин|вітрин){W}",
    rf"обесточ{W}",
    # "вылетели стёкла в двух домах", "вибило вікна", "lost its windows"
    r"(?:вылетел|вилетіл|повилітал|выбило|вибило)\w*\s+(?:\w+\s+)?(?:стёкл|стекл|окна|окон|вікна|"
    r"вікон|шибк)\w*|(?:стёкла|стекла|окна|вікна|шибки)\s+(?:(?!не\b)\w+\s+)?(?:вылетел|вилетіл|"
    r"повилітал)\w*|lost\s+(?:its|their|all\s+its)\s+windows|"
    r"(?<!to )(?:cut|knocked\s+out)\s+(?:the\s+)?power\s+(?:to|for|in)\b",
    rf"(?:объект|цел){W}\s+поражен{W}",
    # "авто знищене", "уничтожен автомобиль": a thing destroyed, not a drone
    rf"(?:авто|автомобил|машин|будин|будівл|здани|гараж|склад){W}\s+(?:\w+\s+)?(?:знищен|уничтожен){W}",
    rf"(?:знищен|уничтожен){W}\s+(?:\w+\s+)?(?:авто|автомобил|машин|будин|будівл|здани|гараж|склад){W}",
    # "«Ланцет» знищив вантажівку", "дрон сжёг легковушку": the drone destroyed a thing
    r"(?:знищив|знищила|знищили|уничтожил|уничтожила|уничтожили|спалив|спалила|спалили|сжег|"
    r"сожгли|сожгла|подбил|подбила|подбили|підбив|підбила|підбили)\s+"
    r"(?:(?!беспилот|безпілот|бп?ла|дрон|шахед)[\w'-]+\s+)?"
    r"(?:вантажівк\w*|автомобил\w*|автомобіл\w*|авто\b|машин[уыи]\b|грузовик\w*|легковушк\w*|"
    r"легковик\w*|автобус\w*|мікроавтобус\w*|микроавтобус\w*|трактор\w*|пікап\w*|пикап\w*|"
    r"цистерн\w*|гараж\w*|склад(?:ы|и|ів|ов)?\b|будин(?:ок|ки)\b|будівл\w*|дом(?:а)?\b|здани\w*)",
    rf"нан[её]с{W}\s+(?:\w+\s+){{0,2}}поражени{W}\s+(?:\w+\s+)?(?:объект|инфраструктур|предприят|энергет){W}",
    r"damag\w*|destruction\b|destroyed\s+(?:a\s+|the\s+)?(?:house|home|building|car)\w*|"
    r"fires?\s+broke|caught\s+fire|blaze\b|(?<=on )fire\b|caus\w+\s+(?:a\s+)?fires?|"
    r"fires?\s+(?:at|in)\b|shatter\w*|without\s+power|power\s+outage|blackout\w*|"
    # "started a fire", "set a parked car alight", "a power line was knocked out", "slammed
    # into a residential neighbourhood"
    r"(?:started|sparked)\s+(?:a\s+)?fires?|set\s+(?:[\w-]+\s+){0,3}?(?:alight|ablaze|on\s+fire)|"
    r"(?:power\s+lines?|substations?|transformers?|lines?|power|electricity)\s+(?:\w+\s+){0,2}?"
    r"knocked\s+out|knocked\s+out\s+(?:the\s+)?(?:power|electricity)|"
    r"(?:households?|homes?|residents?|consumers?|people|villages?|buildings?|subscribers?)\s+"
    r"(?:were\s+|was\s+)?(?:left\s+)?without\s+electricity|"
    r"slamm(?:ed|ing)\s+into\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:houses?|homes?|buildings?|"
    r"blocks?|neighbou?rhoods?|warehouses?|depots?|plants?|factor(?:y|ies)|schools?|cars?|roofs?|"
    r"apartments?|residential)\b|"
    r"hits?\s+(?:by\s+(?:[\w-]+\s+){1,3}?)?(?:were\s+|was\s+)?recorded|"  # "Hits by drones were"
    r"(?<!before they )(?<!before it )(?:hit|struck)\s+"
    r"(?:their\s+|its\s+)?targets?\b|"
    r"(?:hits?|strikes?|impacts?)\s+(?:at|on)\s+(?:\w+\s+)?(?:locations|sites|facilities)|"
    r"windows\s+(?:were\s+)?(?:broken|blown\s+out|smashed)|"
    r"(?:smash|broke|blew\s+out|blown\s+out)\w*\s+(?:the\s+)?windows\b|"
    r"(?:hits?|impacts?|strikes?)\s+(?:were\s+|was\s+)?(?:registered|recorded)|"
    r"(?:fa[cç]ade|roof|building|house|home|school|hospital|warehouse|garage|shop|car|vehicle)s?"
    r"(?:\s+[\w'-]+){0,4}?\s+(?:was|were|has\s+been|have\s+been)\s+destroyed|"
    r"(?:landed|fell|crashed)\s+on\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:site|facility|"
    r"building|house|home|enterprise|plant|warehouse|depot|school|car|roof)s?\b|"
    r"(?:(?:hit|struck|damaged)\s+|dropp\w+\s+(?:\w+\s+){0,3}?on\s+)(?:an?\s+|the\s+)?"
    r"(?:[\w'-]+\s+){0,2}?(?:premises|facility|facilities|tractor|truck|lorry|vehicle|minibus|van|"
    r"enterprise|building|house|home|high-rise|refinery|car|plant|depot|warehouse|substation|"
    r"infrastructure|bus|school|hospital|site|ship|vessel|dormitory|apartment|roof)\b",
]


# An attack on an object ("FPV-дрон атакував автомобіль") is damage unless the post says none.
_ATTACKED_OBJECT = [
    rf"(?:атакува|атаковал|удар|вдари|вдарил|врезал|врізав|врізал|влетел|влетів|влетіл)\w*\s+"
    rf"(?:по\s+|в\s+|у\s+)?(?:[\w'-]+\s+){{0,2}}?"
    rf"{_OBJECT}{W}"
]

# Words of consequence in a sentence that states none of them: read as nothing.
_UNSTATED = [
    # "погибла корова": livestock, no person
    r"(?:погиб|загину|загинул|пал)\w*\s+(?:\w+\s+)?(?:корова|коровы|коров|скот|лошадь|лошади|"
    r"свиньи|овцы|птица|куры|собака|собаки|худоба|тварини|животные|кінь|коні)\b",
    r"did\s+not\s+(?:mention|report|give|provide)\s+(?:any\s+)?(?:damage|casualties|injuries|victims)"
    r"(?:\s+(?:or|and)\s+(?:damage|casualties|injuries|victims))?",
    r"(?:gave|provided|had|has)\s+no\s+(?:information|details|word)\s+(?:on|about)\s+(?:\w+\s+){0,2}?"
    r"(?:damage|casualties|injuries|victims)",
    rf"(?:(?<=о )|(?<=про ))(?:пострадавш|жертв|погибш|постраждал|загибл){W}\s+(?:\w+\s+){{0,3}}?"
    rf"(?:не\s+сообща|не\s+повідомля|уточня){W}",
    # "информация о повреждениях уточняется": damage still unknown, not stated
    rf"(?:(?<=о )|(?<=про ))(?:повреждени|разрушени|последстви|ущерб|пошкоджен|руйнуван|"
    rf"наслідк){W}\s+(?:\w+\s+){{0,2}}?(?:уточн|не\s+сообща|не\s+повідомля){W}",
    # "предпринял попытку нанесения удара по объектам": an attempt, nothing hit yet
    rf"(?:попытк|спроб){W}\s+(?:нанесени{W}\s+|завдати\s+|нанести\s+)?(?:удар|атак){W}\s+"
    rf"(?:по|на)\s+(?:[\w'-]+\s+){{0,2}}?(?:объект|об'єкт){W}",
]

FAMILIES: tuple[tuple[str, list[str]], ...] = (
    ("unstated", _UNSTATED),
    ("none_both", _NONE_BOTH),  # before the single ones: it covers both where both match
    ("none_cas", _NONE_CASUALTIES),
    ("none_dmg", _NONE_DAMAGE),
    ("killed", _STATED_KILLED),
    ("injured", _STATED),
    ("killed", _KILLED),
    ("injured", _INJURED),
    ("affected", _AFFECTED),
    ("damage", _DAMAGE),
    ("attacked_object", _ATTACKED_OBJECT),
)
_SCANNER = CueScanner(FAMILIES)
_DAMAGE_WORDS = ("разруш", "повреж", "ущерб", "руйнув", "пошкодж", "damage", "destruction")
_CASUALTY_WORDS = ("пострадавш", "жертв", "постраждал", "потерпіл", "загибл", "casualt", "injur")
_OBJECT_BEFORE = re.compile(
    r"(?:объект|инфраструктур|здани|дом[аы]?\b|техник|об'єкт|інфраструктур|будин|будівл|"
    r"infrastructure|buildings?|facilit)\w*[^.!?\n]*$"
)
_NEGATED_BEFORE = re.compile(r"(?:\bне|\bни|\bні|\bni|\bnot|\bno)\s+(?:\w+\s+)?$")  # "ни раненых"
_PERSON_NEAR = re.compile(rf"(?<!\w){_PERSON}(?!\w)")
_PERSON_SUBJECT = re.compile(rf"(?<!\w){_PERSON}\s+не\s+$")  # "жильцы не пострадали"
_COLLECTIVE = {
    "двое": 2,
    "трое": 3,
    "четверо": 4,
    "пятеро": 5,
    "шестеро": 6,
    "семеро": 7,
    "восьмеро": 8,
    "девятеро": 9,
    "десятеро": 10,
    "двоє": 2,
    "троє": 3,
    "п'ятеро": 5,
}
_COLLECTIVE_RE = re.compile(r"(?<!\w)(" + "|".join(_COLLECTIVE) + r")(?!\w)")


@dataclass(frozen=True, slots=True)
class Consequences:
    casualties: str | None
    killed: int | None
    injured: int | None
    damage: str | None
    evidence: tuple[Evidence, ...]


_DRONES_AFTER = re.compile(
    r"\s*(?:[\w'-]+\s+)?(?:бп?ла|беспилот|безпілот|дрон|шахед|shahed|drone|uav)", re.IGNORECASE
)
_AGE_AFTER = re.compile(r"[\s-]*(?:лет|года?|годов|років|роки|рік|years?(?:-old)?)\b")


def _count_near(low: str, start: int, end: int) -> int | None:
    """A number within a few words of a casualty word ("погибли 2 человека", "6 killed")."""
    lo, hi = max(0, start - 40), min(len(low), end + 40)
    window = low[lo:hi]
    best: tuple[int, int] | None = None
    for m in find_numbers(window):
        if _AGE_AFTER.match(window, m.end) or _DRONES_AFTER.match(window, m.end):
            continue  # "мужчина 35 лет с ранениями": an age; "Сбиты 2 дрона": drones
        distance = min(abs(lo + m.start - end), abs(lo + m.end - start))
        if best is None or distance < best[0]:
            best = (distance, m.value)
    for m in _COLLECTIVE_RE.finditer(window):
        distance = min(abs(lo + m.start() - end), abs(lo + m.end() - start))
        if best is None or distance < best[0]:
            best = (distance, _COLLECTIVE[m.group(1)])
    if best is None or best[0] > 25 or best[1] > 10_000:
        return None
    return best[1]


# "чьё имущество пострадало": the word right before names property, not a person.
_PROPERTY_BEFORE = re.compile(
    r"(?:имуществ|жиль|жилищ|квартир|автомобил|машин|майн|житл|property|homes?)\w*\s+$"
)


# "жителям пострадавших квартир", "пострадали пять машин": property, not people
_PROPERTY_AFTER = re.compile(
    r"\s+(?:\w+\s+){0,2}(?:здани|дом|жил|квартир|объект|подстанц|склад|гараж|автомобил|машин|"
    r"[а-яіїєґ']+щин|област|регіон|регион|район|громад|"  # "найбільше постраждали Сумщина та ..."
    r"хозпостройк|постройк|остеклени|кровл|осел|будин|будівл|property|homes?|houses?|cars?)"
)


def _property_after(low: str, end: int) -> bool:
    """Property right after the verb, not a person first ("постраждав охоронець складу")."""
    m = _PROPERTY_AFTER.match(low, end)
    return m is not None and _PERSON_NEAR.search(low, end, m.end()) is None


def _is_person_affected(low: str, start: int, end: int) -> bool:
    """ "пострадал мужчина" / "пострадали 3 человека", not "пострадал объект" or
    "жителям пострадавших квартир"."""
    if _PROPERTY_BEFORE.search(low, max(0, start - 25), start) or _property_after(low, end):
        return False
    window = low[max(0, start - 30) : end + 40]
    return bool(_PERSON_NEAR.search(window)) or _count_near(low, start, end) is not None


def _meaning(kind: str, low: str, start: int, end: int) -> str | None:
    """What a cue says in context: negation turns it into a "none" statement, and
    "пострадал" needs a person ("пострадал мужчина") to be a casualty at all."""
    if kind == "unstated":
        return None
    if kind in ("none_cas", "none_dmg", "none_both"):
        return kind  # "Ни пострадавших, ни разрушений нет": the "ни" is part of the phrase
    negated = bool(_NEGATED_BEFORE.search(low, max(0, start - 20), start))
    if kind == "affected":
        if negated:  # the subject comes first: "Объекты не пострадали. Люди не пострадали."
            if _PERSON_SUBJECT.search(low, max(0, start - 40), start):
                return "none_cas"  # "повреждена кровля дома, жильцы не пострадали"
            return (
                "none_dmg" if _OBJECT_BEFORE.search(low, max(0, start - 45), start) else "none_cas"
            )
        if _property_after(low, end):  # "пострадало здание", "пострадали два дома"
            return "damage"
        return "injured" if _is_person_affected(low, start, end) else None
    if negated:
        return {"damage": "none_dmg", "injured": "none_cas"}.get(kind)
    return kind


_NOTHING_STATED = Consequences(None, None, None, None, ())


def extract_consequences(text: str, low: str, cues: Sequence[Cue] | None = None) -> Consequences:
    """`cues`: this module's cues if the caller scanned them already (one shared pass)."""
    if cues is not None and not cues:
        return _NOTHING_STATED  # most posts: no cue, nothing to read (and it is immutable)
    found: dict[str, bool] = dict.fromkeys(
        ("killed", "injured", "none_cas", "damage", "none_dmg", "attacked_object"), False
    )
    killed_n: int | None = None
    injured_n: int | None = None
    evidence: list[Evidence] = []
    for cue in _SCANNER.scan(low) if cues is None else cues:
        start, end = cue.start, cue.end
        kind = _meaning(cue.family, low, start, end)
        if kind is None:
            continue
        evidence.append(Evidence(f"consequence.{kind}", start, end, text[start:end]))
        phrase = low[start:end]
        if kind == "none_both":
            found["none_cas"] = found["none_dmg"] = True
        else:
            found[kind] = True
        if kind == "none_cas" and any(w in phrase for w in _DAMAGE_WORDS):
            found["none_dmg"] = True  # "пострадавших и разрушений нет" says both
        elif kind == "none_dmg" and any(w in phrase for w in _CASUALTY_WORDS):
            found["none_cas"] = True
        elif kind == "killed" and killed_n is None:
            killed_n = _count_near(low, start, end)
        elif kind == "injured" and injured_n is None:
            injured_n = _count_near(low, start, end)
    casualties = (
        "killed"
        if found["killed"]
        else "injured"
        if found["injured"]
        else "none"
        if found["none_cas"]
        else None
    )
    damage = (
        "yes"
        if found["damage"] or (found["attacked_object"] and not found["none_dmg"])
        else "none"
        if found["none_dmg"]
        else None
    )
    return Consequences(
        casualties,
        killed_n if found["killed"] else None,
        injured_n if found["injured"] else None,
        damage,
        tuple(evidence),
    )
