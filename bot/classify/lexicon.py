"""The words official channels use, grouped into cue families (ru / uk / en, lower case).

One master regex with a named group per family scans a post once; the family order below
matters: at one position the first family that matches wins, so phrases that contain other
cues ("беспилотная опасность", "отражена атака", "безэкипажный катер") come before the
single words they contain. Patterns run on `text.normalise()` output: lower case, е for ё,
one apostrophe ('), homoglyphs fixed.
"""

from __future__ import annotations

import re

from bot.classify.consequences import FAMILIES as CONSEQUENCE_FAMILIES
from bot.classify.contexts import (
    ACCIDENT,
    ADVICE,
    AFTERMATH,
    AGRICULTURE,
    ANALYSIS,
    AWARD,
    BACKGROUND,
    CELEBRATION,
    COMPARISON,
    COURT,
    DENIAL,
    DRILL,
    EDUCATION,
    EXPLAINER,
    FUNDRAISING,
    NOT_AN_EVENT,
    NOT_REPORTED,
    PAST,
    PRODUCTION,
    PROTECTION,
    REVIEW,
    STATS,
)
from bot.classify.places import EXCLUSION_FAMILIES
from bot.classify.scanner import CueScanner

W = r"\w*"  # rest of a word: endings of every case and gender

# Drone nouns. "аппарат" alone is a weak drone noun (MoD: "шесть аппаратов сбито").
DRONE = [
    rf"беспилот{W}(?:\s+летательн{W})?(?:\s+аппарат{W})?",
    rf"безпілот{W}(?:\s+літальн{W})?(?:\s+апарат{W})?",
    r"бп?ла\b",
    r"бп?ла-\w+",  # "БПЛА-камикадзе"; not "благодарю", "благодаря"
    rf"(?:fpv|фпв)[- ]?(?:дрон{W}|drone{W})?",
    rf"дрон(?:ы|а|ов|ом|ами|ах|у|е|и|ів|ам|ами|ах)?(?:-(?:камикадзе|камікадзе|ударник{W}|імітатор{W}|имитатор{W}))?\b",
    rf"(?:квадро|мульти)?коптер{W}",
    rf"шахед{W}",
    r"shahed\w*(?:-\d+)?",
    r"герань-?2?\b",
    r"геран(?:и|і|ей|ям|ями|ях|ью)\b",  # "3 «Герані»"
    r"geran-?\d*",
    rf"гербер{W}",
    rf"ланцет{W}",
    r"орлан(?:-10|-30)?(?:и|ів|ы|ов|а|ом|ами)?\b",  # the Orlan reconnaissance drone
    r"lancet\b",
    rf"барражирующ{W}\s+боеприпас{W}",
    rf"курсуюч{W}\s+боєприпас{W}",
    r"loitering munitions?",
    r"(?:unmanned|uncrewed|pilotless)\s+(?:aerial\s+|combat\s+aerial\s+)?(?:vehicles?|aircraft|systems?|objects?)",
    r"(?:kamikaze\s+|attack\s+|strike\s+|combat\s+)?(?:drones?|uavs?)\b",
    r"ua[sv]'?s\b",
    # the enemy's "аппараты" are drones even in a post that names no stronger noun
    rf"(?:украинск|вражеск|ворож|українськ){W}\s+ап?парат{W}",
    r"аппарат(?:ов|а|ы|ом|ами)?\b",
    r"апарат(?:ів|а|и|ом|ами)?\b",
]

# Unmanned boats are other_attack, not UAVs: matched first so "морской дрон" is naval.
NAVAL = [
    rf"безэкипажн{W}\s+(?:катер{W}|лодк{W}|судн{W}|аппарат{W})",
    rf"безекіпажн{W}\s+(?:катер{W}|човн{W}|судн{W}|апарат{W})",
    rf"морск{W}\s+(?:беспилот{W}|дрон{W})",
    rf"морськ{W}\s+(?:безпілот{W}|дрон{W})",
    r"бэк(?:а|и|ов|ами)?\b",
    r"(?:naval|sea|maritime|surface)[\s-]+drones?",
    r"(?:unmanned|uncrewed)\s+(?:surface\s+)?(?:vessels?|boats?)",
    r"\busvs?\b",
]

# All-clear. "до отбоя" / "until the alert ends" belong to a warning, not its end. The
# tail ("угрозы атаки беспилотников") is part of the phrase, so its "атаки" is no attack.
_TAIL = (
    rf"(?:\s+(?:режима|сигнала|повітряної|воздушной|беспилотной))?"
    rf"(?:\s+(?:угроз{W}|опасност{W}|тревог{W}|тривог{W}|небезпек{W}))?"
    rf"(?:\s+(?:атак{W}|применени{W}|застосуванн{W}|удар{W}))?"
    rf"(?:\s+(?:ударн{W}\s+)?(?:бп?ла|беспилот{W}|безпілот{W}|дрон{W}|шахед{W}))?"
)
THREAT_END = [
    rf"(?<!до )(?<!до сигнала )(?<!получения сигнала )отбо[йяю]\b{_TAIL}",
    rf"(?<!до )відб(?:ій|ою|оєм)\b{_TAIL}",
    rf"отмен{W}{_TAIL}",
    rf"скасован{W}{_TAIL}",
    rf"(?:угроза|опасность)\s+(?:\w+\s+){{0,4}}минова{W}",
    rf"(?:загроза|небезпека|тривога)\s+(?:\w+\s+){{0,4}}минул{W}",
    r"(?<!until the )(?<!for the )all[- ]clear",  # "stay there until the all-clear": a warning
    r"(?:alert|threat|danger)\s+(?:is\s+|has\s+been\s+)?(?:over|lifted|cancell?ed|ended)",
]

MISSILE_THREAT = [
    rf"ракетн{W}\s+(?:опасност{W}|небезпек{W}|угроз{W}|загроз{W})",
    rf"(?:угроз|загроз){W}\s+(?:ракетн{W}|балістичн{W}|баллистическ{W})",
    rf"авиационн{W}\s+опасност{W}",
    r"missile\s+(?:threat|danger|alert)",
    r"threat\s+of\s+(?:a\s+)?(?:missile|ballistic)\w*",
]

# Warnings that name drones (matched before the drone noun inside them)...
THREAT_DRONE = [
    rf"беспилотн{W}\s+опасност{W}",
    rf"(?:опасност|угроз|загроз|небезпек|риск|ризик){W}\s+(?:атак{W}\s+|применени{W}\s+|застосуванн{W}\s+|"
    rf"удар{W}\s+|нападени{W}\s+)?(?:ворож{W}\s+)?(?:ударн{W}\s+)?"
    rf"(?:fpv-?\s?)?(?:бп?ла|беспилот{W}|безпілот{W}|дрон{W}|шахед{W})",
    rf"режим{W}\s+(?:беспилотн{W}\s+)?(?:опасност{W}|угроз{W})(?:\s+(?:атак|применени|удар){W})?"
    rf"(?:\s+(?:бп?ла|беспилот{W}|дрон{W}))?",
    rf"режим{W}\s+[«\"]?беспилотн{W}",
    r"(?:threat|danger|risk)s?\s+of\s+(?:\w+\s+){0,3}(?:drones?|uavs?|shaheds?)",
    r"(?:drone|uav)\s+(?:threat|danger|alert)",
    r"(?:drone|uav)\s+attack\s+(?:threat|danger|alert)",
    r"(?:possible|potential|imminent|likely)\s+(?:\w+\s+)?(?:drone|uav)s?\s+(?:attacks?|strikes?)",
    rf"(?:возможн|вероятн|можлив|ймовірн){W}\s+(?:атак{W}|удар{W})\s+(?:бп?ла|беспилот{W}|безпілот{W}|дрон{W})",
]
# ... and alarm words that need a drone noun nearby.
ALARM = [
    # "Опасность атаки с воздуха сохраняется": the danger of an attack, no attack yet
    rf"(?:опасност|угроз|загроз|небезпек|риск|ризик){W}\s+(?:атак|удар|нападени){W}"
    rf"(?:\s+(?:с|з)\s+(?:воздуха|повітря))?",
    rf"(?:опасност|угроз|загроз|небезпек){W}",
    rf"(?:воздушн|повітрян){W}\s+(?:тревог|тривог){W}",
    rf"тр[еи]вог{W}",
    rf"сирен{W}",
    r"air[- ](?:raid\s+)?(?:alert|alarm|raid)s?",
    r"threat\b",
    r"danger\b",
    r"sirens?\b",
    # "БпЛА ... заходять на Миколаївщину", "на підльоті до міста": on the way, not a role
    r"заход(?:ять|ить|или|ив|ят|ит)\s+(?:на|в|у)\b|(?<=на )(?:підльоті|подлете)\b",
    rf"(?:возможн|вероятн|можлив|ймовірн){W}\s+(?:звук{W}\s+)?(?:работ|робот){W}\s+(?:\w+\s+)?(?:пво|ппо)",
    r"air\s+defen[cs]es?\s+(?:may|might|could)\s+be\s+(?:working|active|heard|operating)",
    r"warn(?:s|ed|ing)?\b",
    rf"укрыти{W}",
    rf"укритт{W}",
    r"shelters?\b",
    r"take\s+cover\b",
]

# Outcomes.
REPEL = [
    rf"(?:отраж|отрази|отбил|отбит|відби|відбит){W}\s+(?:\w+\s+){{0,2}}атак{W}",
    rf"отраж(?:ен|ают|ает|ается|ались|ался|ала|али){W}",
    r"repell?(?:ed|ing|s)?\b",
    r"repuls(?:ed|ing)\b",
]
ENGAGE = [
    rf"(?:пво|ппо|противовоздушн{W}\s+оборон{W}|протиповітрян{W}\s+оборон{W})\s+(?:\w+\s+)?"
    rf"(?:работа{W}|працю{W}|відпрацьову{W}|отрабатыва{W}|отработал{W}|відпрацювал{W})",
    rf"(?:работа{W}|працю{W}|работе)\s+(?:сил\w*\s+|средств\w*\s+|систем\w*\s+)?(?:пво|ппо)",
    rf"звук{W}\s+работ{W}\s+пво",
    rf"(?:работа|працю)\w*\s+(?:\w+\s+)?(?:противовоздушн{W}|протиповітрян{W})\s+оборон{W}",
    rf"відпрацьову{W}\s+(?:по\s+)?ціл{W}",
    rf"працю{W}\s+по\s+ціл{W}",
    rf"(?:работа{W})\s+по\s+цел{W}",
    r"air\s+defen[cs]es?\s+(?:\w+\s+){0,2}(?:is|are|was|were)\s+(?:\w+\s+)?"
    r"(?:working|responding|active|engaging|operating|repelling)",
    r"(?:working|responding)\s+(?:on|to)\s+(?:the\s+)?(?:targets?|uavs?|drones?)",
    r"air\s+defen[cs]es?\s+(?:\w+\s+)?(?:engag|respond|repell|repuls)\w*",
]
LAUNCH = [
    rf"запуст(?:ил|или|ила|ив|или){W}",
    rf"запущен{W}",
    rf"випусти{W}",
    rf"выпустил{W}",
    r"підня(?:в|ла|ли)\b",  # "ворог підняв 642 засоби повітряного нападу"
    r"кину(?:в|ла|ли)\b|кинул(?:и|а)?\b",  # "Росіяни кинули на Україну 90 дронів"
    r"(?:бив|била|били)\s+по\s+україн\w*",  # "противник бив по Україні ... 146 дронами"
    r"(?<=загалом )зафіксовано\b|(?<=всього )зафіксовано\b|(?<=усього )зафіксовано\b",
    rf"випущен{W}",
    r"запуска(?:в|ла|ли|л)\b",  # "ворог запускав ударні БпЛА"
    r"задія(?:в|ла|ли)\b|задіяно\b",  # "противник задіяв 64 ударні БпЛА"
    r"launch(?:ed|es|ing)?\b",
    r"застосовано\b",  # the Air Force's "Застосовано 718 ударних БпЛА"
    r"(?<=russia )used\b|(?<=russians )used\b|(?<=enemy )used\b",
    r"(?<=russia )sent\b|(?<=enemy )sent\b|(?<=russians )sent\b|(?<=army )sent\b|"
    r"(?<=forces )sent\b",
    r"fired\b",  # "Russia fired eight cruise missiles and 112 attack drones"
    rf"атакува(?:в|ла|ли){W}",
    rf"направи(?:в|ла|ли|л){W}",
    r"направлен[оы]\b|спрямован[оі]\b|спрямува(?:в|ла|ли)\b",  # "было направлено 14 беспилотников"
    rf"застосува(?:в|ла|ли){W}",
    r"применил(?:и|а)?\b",
    # a day's summary: "Росіяни застосовували артилерію, ударні дрони та КАБи"
    r"(?:(?<=росіяни )|(?<=окупанти )|(?<=ворог )|(?<=противник )|(?<=россияне )|(?<=оккупанты )|"
    r"(?<=враг ))(?:застосовува(?:в|ла|ли)|применял(?:и|а)?)\b",
    rf"атаковал{W}",
    r"attacked\s+(?:\w+\s+){0,4}with",
    # a report's heading: "Засоби повітряного нападу противника: 4 ракети і 160 БпЛА"
    r"(?<=засоби )повітряного\s+нападу(?:\s+(?:противника|ворога))?\s*:",
    r"(?<=средства )воздушного\s+нападения(?:\s+(?:противника|врага))?\s*:",
]
DESTROY = [
    # "FPV-дрон бойцы расстреляли из стрелкового оружия", "зняли зі стрілецької зброї": shot
    # down by small arms
    r"расстреляли\b|розстріляли\b",  # (not "дрон расстрелял автомобиль")
    r"(?:зняли|зняв|зняла|сняли|снял|сняла)\s+(?:\w+\s+)?(?:зі?|із|из|с)\s+(?:стрілецьк|стрелков|"
    r"кулемет|пулемет|автомат|рушниц|ружь)\w*",
    rf"сбит{W}",
    rf"сбил{W}",
    rf"сбива{W}",
    rf"сбивш{W}",
    rf"уничтож{W}",
    rf"ликвидир{W}",
    rf"ліквід{W}",
    rf"нейтрализ{W}",
    rf"нейтраліз{W}",
    rf"пресечен{W}",
    rf"збит{W}",
    rf"збил{W}",
    rf"збива{W}",
    rf"знищ{W}",
    rf"відмінус{W}",
    rf"приземлил{W}",
    rf"приземлен{W}",
    rf"знешкод{W}",
    rf"обезвреж{W}",
    rf"обезвредил{W}",
    rf"подбит{W}",
    rf"подбил{W}",
    r"(?<=пво )пораз(?:ил|ила|или)\b|(?<=зенитчики )поразили\b|(?<=пво )поражен[ыо]\b",
    r"впора(?:лися|лись|вся|лася)\b",  # "ще з двома впоралися засоби РЕБ"
    # "Пятнадцать поражены огнём зенитных расчётов": struck by air defence is destroyed
    r"поражен[ыо]\b(?=\s+(?:огн[её]м\s+(?:зенитн|пво|средств\s+пво|расч[её]т)|зенитн|"
    r"средствами\s+пво|расч[её]тами\s+пво))",
    # the Air Force's "уражено 12 шахедів": struck drones are destroyed ones
    r"уражено\b(?=\s+(?:[\w'-]+\s+){0,3}?(?:бп?ла|безпілот|дрон|шахед))",
    # "расчёты успешно поразили два беспилотника": a drone as the object is destroyed
    r"пораз(?:ил|ила|или)\b(?=\s+(?:[\w-]+\s+){0,2}(?:бп?ла|беспилот|дрон|шахед|uav))",
    # "сили ППО уразили 23 безпілотники", "захисники неба вразили" (else a hit)
    r"(?<=ппо )[ув]раз(?:ив|ила|или)\b|(?<=неба )[ув]раз(?:ив|ила|или)\b",
    r"расправил(?:ась|ись|ся)\s+с\b",  # "ПВО расправилась с двадцатью тремя дронами"
    # "Двадцять один безпілотник не долетів до цілі": stopped on the way
    r"(?<=не )долеті(?:в|ла|ли)\s+до\s+ціл\w*|(?<=не )долетел(?:и|а)?\s+до\s+цел\w*",
    r"(?<=оборона )зупини(?:ла|ли)\b|(?<=ппо )зупини(?:ла|ли)\b",  # "ППО зупинила 97 з них"
    rf"уражено\s+(?:вогнев{W}\s+засоб{W}|засоб{W}\s+ппо)",  # the Air Force's fire means
    r"shot\s+(?:(?:it|them|both|one)\s+)?down",
    # "managed to shoot down two of the drones" (not "ready to shoot down", an intent)
    r"(?<=managed to )shoot\s+(?:(?:it|them|both|one)\s+)?down|"
    r"(?<=were able to )shoot\s+(?:(?:it|them|both|one)\s+)?down",
    r"(?:was|were|been)\s+downed",
    r"downed\b",
    r"destroy(?:ed|ing|s)?\b",
    r"neutrali[sz]ed\b",
    r"taken\s+down",
    r"(?:brought|took|taken|knocked)\s+(?:down|out)",
    r"(?:shooting|bringing|taking)\s+down",
    r"downing\b",
    r"eliminated\b",
]
INTERCEPT = [
    rf"перехвач{W}",
    r"перехват(?:ил|или|ила|ены)?\b",
    rf"перехватыва{W}",
    rf"перехопл(?!юва){W}",  # not "дрони-перехоплювачі", the interceptor drones
    r"перехоп(?:ил|или|лено|лені)?\b",
    # "listed its overnight drone interceptions:" (an "interception rate" is a statistic)
    r"intercept(?:ed|ing|s)?\b|interceptions?\b(?!\s+rate)",
]
SUPPRESS = [
    rf"подавл{W}",
    # "ще дев'ятнадцять вивели з ладу фахівці РЕБ": disabled
    # (by electronic warfare only: "удары вывели из строя подстанцию" is damage)
    r"(?:вив(?:ели|ів|ела|едено)\s+з\s+ладу|вывел(?:и|а)?\s+из\s+строя|выведен[ыо]?\s+из\s+строя)"
    r"(?=\s+(?:[\w'-]+\s+){0,2}(?:реб|рэб)\b)",
    rf"подавил{W}",
    r"подави(?:ть|ти)\b",  # "ещё четырёх удалось подавить"
    rf"заглуш{W}",
    rf"придуш{W}",
    rf"посажен{W}",
    r"посади(?:ть|ли|л|ла)\b",  # "ещё двух удалось посадить с помощью РЭБ"
    rf"(?:средств|комплекс|засоб|систем){W}\s+(?:рэб|реб|радиоэлектронной\s+борьбы)",
    r"(?:рэб|реб)\b",
    # "ещё два вывела из строя РЭБ"
    r"вывел\w*\s+из\s+строя\s+(?:средства\s+)?(?:рэб|реб)\b|(?<=рэб )вывел\w*\s+из\s+строя",
    # "потеряли управление под воздействием РЭБ и упали"
    rf"потеря(?:ли|л|ла)\s+управлени{W}|втрати(?:ли|в|ла)\s+керуванн{W}|lost\s+control\b",
    r"jamm(?:ed|ing)\b",
    r"suppress(?:ed|ing)?\b",
    r"electronic\s+warfare",
]
LOST = [
    rf"локаційно\s+втрачен{W}",
    rf"локационно\s+потерян{W}",
    r"(?:lost\s+(?:from\s+)?(?:radar|location)|locationally\s+lost)",
    rf"зникл{W}\s+з\s+радар{W}|исчезл{W}\s+с\s+радар{W}|disappeared\s+from\s+radar\w*",
]
CRASH = [
    rf"упал{W}",
    rf"упавш{W}",
    rf"рухнул{W}",  # "на крышу рухнули обломки сбитого дрона"
    rf"паден{W}",
    rf"падінн{W}",
    rf"впал{W}",
    r"впав\b",
    rf"обломк{W}",
    rf"обломоч{W}",
    rf"уламк{W}",
    rf"фрагмент{W}",
    rf"крушени{W}",
    rf"сдетонир{W}",
    rf"здетону{W}",
    rf"детонац{W}",
    r"crash(?:ed|es|ing)?\b",
    r"debris\b",
    r"fragments?\b",
    r"wreckage\b",
    # "found the remains of an unmanned aerial vehicle", "залишки дрона": what is left of one
    r"(?:(?<=found the )|(?<=found )|(?<=discovered the )|(?<=recovered the ))remains\s+of"
    r"(?=\s+(?:an?\s+|the\s+)?(?:[\w-]+\s+){0,2}?(?:drones?|uavs?|unmanned|shaheds?)\b)",
    r"(?:остатк|останк|залишк|рештк)\w*(?=\s+(?:[\w-]+\s+)?(?:беспилотник(?:а|ов)\b|бп?ла\b|"
    r"дрон(?:а|ов|ів)\b|безпілотник(?:а|ів)\b|шахед(?:а|у|ів)\b))",
    r"fell\b",
    r"(?:came|comes|come|went)\s+down\b",  # "entered Latvian airspace and came down in Ludza"
]
HIT = [
    rf"попадани{W}",
    # "ворожі безпілотники спричинили пожежі у чотирьох областях"
    r"(?<!не )спричини(?:в|ла|ли)\s+(?:[\w'-]+\s+)?(?:пожеж|руйнуван|пошкоджен)\w*|"
    r"(?<!не )вызвал(?:и|а)?\s+(?:\w+\s+)?(?:пожар|разрушени|повреждени)\w*",
    r"настиг(?:ла|ли|ло)?\b|наздогна(?:в|ла|ли)\b",  # "FPV-дрон настиг рейсовый автобус"
    r"попал(?:а|о|и)?\b",
    r"(?:скинул|скинув|скинули|сбросил|сбросили|скида)\w*",
    r"(?:бив|били|бьет|бьют|б'є|б'ють)\s+по\b",
    r"dropp(?:ed|ing)\b",
    rf"влучанн{W}",
    rf"влучен{W}",
    rf"влучил{W}",
    rf"влучи{W}",
    rf"поцілил{W}",
    rf"поцілив{W}",
    rf"влетел{W}",
    rf"врезал{W}",
    rf"вдари{W}",
    rf"дістався\s+ціл{W}",
    rf"удар(?!н){W}",
    rf"атак(?!ующ){W}",
    rf"подверг{W}",
    rf"зазнал{W}\s+(?:атак|удар){W}",
    rf"прил[еьі]т{W}",
    rf"прильот{W}",
    rf"взрыв{W}",
    rf"вибух(?!онебезпечн){W}",  # not "вибухонебезпечних предметів", explosive objects
    rf"детониров{W}",
    r"attack(?:ed|s|ing)?\b",
    r"struck\b",
    r"ураз(?:ив|ила|или)\b",  # "ще один «Шахед» уразив об'єкт енергетики"
    r"пораз(?:ил|ила|или|ило)\b",  # "беспилотник поразил подстанцию" (ПВО's "поразила" is destroy)
    r"(?:slamm|smash|plough|plow)(?:ed|ing)\s+into\b|rammed\b",
    r"strikes?\b",
    r"hit(?:s|ting)?\b",
    r"targeted\b",
    r"explosions?\b",
    r"impact\b",
    # MoD: "нанесено поражение объектам энергетики" (not "поражение живой силе": no place hit)
    rf"нан[её]с{W}\s+(?:\w+\s+){{0,2}}поражени{W}\s+(?:\w+\s+)?(?:объект|инфраструктур|предприят|энергет){W}",
    r"came\s+under\s+(?:fire|attack)\b",
]
DETECT = [
    rf"(?<!для )обнаружен{W}",
    rf"обнаружил{W}",
    rf"(?<!для )виявлен{W}",
    rf"виявил{W}",
    rf"зафіксован{W}\s+(?:рух|проліт|пуск|груп){W}",
    rf"рух(?!н){W}\s+(?:[\w'-]+\s+){{0,3}}(?:бп?ла|безпілот{W}|дрон{W}|шахед{W})",
    rf"движени{W}\s+(?:\w+\s+)?(?:бп?ла|беспилот{W}|дрон{W})",
    r"(?<=[ву] )напрямку",
    rf"фіксу{W}",
    rf"фиксиру{W}",
    r"курсом\s+на|курс\s*[—–-]\s*на\b",
    # "два шахеди ..., тримають курс на захід" (not "тримає курс на мільйон дронів на рік")
    r"(?:трима|держ)\w*\s+курс\s+на\s+(?:захід|схід|північ|південь|запад|восток|север|юг|"
    r"[\w'-]+щин[уи]|[\w'-]+(?:ськ|цьк|ск)(?:ий|у|ого|ую)\b)",
    rf"(?<!не )приближа{W}",
    rf"(?<!не )наближа{W}",
    r"(?:летят|летит|летять|летить|рухаються|рухається)\b",
    r"(?:висять|висить|кружля\w*|кружат|кружит|барраж\w*)\b",  # "над містом висять дрони"
    r"движ(?:ется|утся)\b|заход(?:ят|ит|ять|ить)\b",  # "на город заходят несколько «шахедов»"
    r"detected\b",
    r"spotted\b",
    r"movement\s+of",
    r"heading\s+(?:to|towards|for)",
    r"approach(?:ing|es)\b",
    r"moving\s+(?:to|toward|towards|in)\b",
]

# Other weapons (other_attack unless drones are also reported).
MISSILE = [
    rf"ракет{W}",
    rf"крылат{W}",
    rf"баллистическ{W}",
    rf"балістичн{W}",
    rf"балістик{W}",
    rf"баллистик{W}",
    r"atacms|атакмс|storm\s+shadow|scalp|нептун\w*|искандер\w*|кинжал\w*|калибр\w*|точк[аиу]-у",
    r"missiles?\b",
    r"rockets?\b",
    r"ballistic\b",
    r"cruise\b",
]
GUIDED_BOMB = [
    rf"авиабомб{W}",
    rf"авіабомб{W}",
    rf"управляем{W}\s+(?:авиационн{W}\s+)?бомб{W}",
    rf"керован{W}\s+(?:авіаційн{W}\s+)?бомб{W}",
    r"(?:каб|уаб)(?:и|ы|ів|ов|ами|ом|а)?\b",
    r"фаб-?\d*",
    r"(?:guided|glide)\s+(?:aerial\s+)?bombs?",
    r"aerial\s+bombs?",
]
MLRS = [
    r"himars|хаймарс\w*|рсзо|mlrs",
    rf"реактивн{W}\s+снаряд{W}",
    rf"залпов{W}\s+(?:огн|вогн){W}",
    r"multiple\s+launch",
]
ARTILLERY = [
    rf"артилл{W}",
    rf"артилер{W}",
    rf"снаряд{W}",
    rf"миномет{W}",
    rf"мінометн{W}",
    r"мінами\b",
    rf"обстрел{W}",
    rf"артобстрел{W}",
    rf"артобстріл{W}",
    rf"артудар{W}",
    rf"обстріл{W}",
    rf"кассетн{W}",
    rf"касетн{W}",
    r"artillery|shell(?:ing|ed|s)\b|mortars?\b|munitions?\b|cluster\b",
]

# A drone named only to be ruled out: "взрыв — не беспилотник, а удар HIMARS", "Беспилотники,
# по данным штаба, не применялись", "it was a missile, not a drone". The cue takes the drone
# word's place, so that no drone is seen there; the sentence stays evidence for the rest.
NOT_A_DRONE = [
    r"(?:(?<=\sне )|(?<=^не ))(?:беспилотник|безпілотник|дрон|бп?ла|шахед)\w*"
    r"(?=\s*[,—–]|\s+(?:а|как|як)\b)",
    r"(?:беспилотник|безпілотник|дрон|бп?ла|шахед)\w*\s+(?:[\w'-]+,?\s+){0,6}?не\s+"
    r"(?:применял|использовал|участвовал|застосовувал|використовувал)\w*",
    # "Дронов над городом этой ночью не было" (not "атаки беспилотников пострадавших не было")
    r"(?:беспилотников|безпілотників|дронов|дронів|шахедів|шахедов)\s+"
    r"(?:(?!пострада|постражда|разруш|руйнув|поврежд|пошкодж|жертв|погибш|загибл|ранен|поранен|"
    r"травм|поражен|ураж|поступ|надход)[\w'-]+,?\s+){0,4}?не\s+(?:было|було)\b",
    r"(?<=\snot a )(?:drone|uav|shahed)\b|(?<=\snot by a )(?:drone|uav)\b",
    r"(?:drones?|uavs?)\s+(?:were|was)\s+not\s+(?:used|involved)\b",
    # "Our earlier report that a Shahed drone had struck the port was wrong"
    r"(?:shahed|drone|uav)\w*\s+(?:[\w'-]+\s+){0,12}?(?:was|were)\s+(?:wrong|incorrect|mistaken)\b",
]

# Family order: earlier families win when two could match at the same place.
FAMILIES: tuple[tuple[str, list[str]], ...] = (
    ("naval", NAVAL),
    ("threat_end", THREAT_END),
    ("missile_threat", MISSILE_THREAT),
    ("threat", THREAT_DRONE),  # drone-specific warnings, before "беспилот" is taken as a noun
    ("repel", REPEL),
    ("engage", ENGAGE),
    ("lost", LOST),
    ("detect", DETECT[4:6]),  # "рух ворожих БпЛА" before the drone noun inside it
    ("not_a_drone", NOT_A_DRONE),
    ("drone", DRONE),
    ("alarm", ALARM),
    ("launch", LAUNCH),
    ("not_an_event", NOT_REPORTED),  # "О сбитых дронах не сообщалось" before "сбит"
    ("destroy", DESTROY),
    ("intercept", INTERCEPT),
    ("suppress", SUPPRESS),
    ("crash", CRASH),
    ("hit", HIT),
    ("detect", DETECT[:4] + DETECT[6:]),
    ("missile", MISSILE),
    ("guided_bomb", GUIDED_BOMB),
    ("mlrs", MLRS),
    ("artillery", ARTILLERY),
    ("fundraising", FUNDRAISING),
    ("production", PRODUCTION),
    ("drill", DRILL),
    ("education", EDUCATION),
    ("advice", ADVICE),
    ("agriculture", AGRICULTURE),
    ("court", COURT),
    ("award", AWARD),
    ("celebration", CELEBRATION),
    ("analysis", ANALYSIS),
    ("comparison", COMPARISON),
    ("past", PAST),
    ("background", BACKGROUND),
    ("accident", ACCIDENT),
    ("review", REVIEW),
    ("stats", STATS),
    ("aftermath", AFTERMATH),
    ("denial", DENIAL),
    ("protection", PROTECTION),
    ("explainer", EXPLAINER),
    ("not_an_event", NOT_AN_EVENT),
)


def master_pattern() -> re.Pattern[str]:
    """All families as one alternation: the reference `SCANNER` must agree with (tested)."""
    parts = []
    seen: dict[str, int] = {}
    for name, patterns in FAMILIES:
        n = seen.get(name, 0)
        seen[name] = n + 1
        group = name if n == 0 else f"{name}__{n}"
        parts.append(f"(?P<{group}>{'|'.join(patterns)})")
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")")


# One pass finds the event cues and, in layers of their own, the consequence cues and the
# phrases whose places are not the scene (places.py).
SCANNER = CueScanner(FAMILIES, CONSEQUENCE_FAMILIES, EXCLUSION_FAMILIES)
DRONE_STEM = re.compile(r"беспилот|безпілот|бп?ла|дрон|шахед|drone|uav")


def family_of(group: str) -> str:
    """Group name -> family ("detect__1" -> "detect")."""
    return group.split("__", 1)[0]


NEGATIVE_FAMILIES = frozenset(
    {
        "fundraising",
        "production",
        "drill",
        "education",
        "advice",
        "agriculture",
        "court",
        "award",
        "celebration",
        "analysis",
        "past",
        "background",
        "accident",
        "stats",
        "review",
        "aftermath",
        "denial",
        "protection",
        "explainer",
        "not_an_event",
    }
)
# Topics that make a whole post about something else, not only the sentence they are in.
TOPIC_FAMILIES = frozenset(
    {
        "fundraising",
        "production",
        "drill",
        "education",
        "court",
        "award",
        "celebration",
        "analysis",
        "past",
        "review",
        "denial",
        "explainer",
    }
)
OUTCOME_FAMILIES = frozenset({"destroy", "intercept", "suppress", "repel"})
WEAPON_FAMILIES = frozenset({"missile", "guided_bomb", "mlrs", "artillery", "naval"})
