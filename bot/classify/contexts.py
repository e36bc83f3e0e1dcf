"""Contexts that make a drone word NOT an incident report (ru / uk / en, lower case).

Fundraising, production, drills, advice, courts, awards, celebrations, analysis, statistics,
compensation, denials, protection works, explainers, road accidents. A sentence that carries
one of them is not evidence of an incident; some (the "topic" families in lexicon.py) make a
whole post about something else. Same conventions as lexicon.py.
"""

from __future__ import annotations

W = r"\w*"  # rest of a word: endings of every case and gender

# Collecting data is no fundraising: "собираем, информация будет дополнена", "точные цифры
# ещё собираются", "Данные собираем." (the object first; a possessive \w*+ so that the word
# cannot give back letters to dodge the check).
_NOT_DATA = (
    r"(?![\s,]+(?:\w+\s+)?(?:данн|информац|сведени|відомост|інформац|даних|цифр)|\s*[.;](?:\s|$)"
    r"|\s*,\s+(?:напишу|сообщу|дополню|уточню|расскажу|напишемо|повідомлю|повідомимо|доповню))"
)  # "Сведения о последствиях собираем, напишу позже": the object before, the report after
FUNDRAISING = [
    r"сбор\w*+" + _NOT_DATA,
    r"собра(?:ли|л|ла|но|ть)\w*+" + _NOT_DATA,
    r"собира(?!\w*ся\b)\w*+" + _NOT_DATA,
    # (not a rescued woman "передано медикам")
    r"переда(?:ли|л|ла|но|ны|ем|ть|ні|в)\b(?!\s+(?:медикам|лікарям|врачам|"
    r"рятувальникам|спасателям|поліції|полиции))",
    rf"закуп{W}",
    rf"купил{W}",
    rf"приобрел{W}",
    rf"придба{W}",
    rf"донат{W}",
    rf"задонат{W}",
    rf"благотвор{W}",
    rf"благодійн{W}",
    rf"волонтер{W}",
    r"збір\w*+" + _NOT_DATA,
    r"зібра\w*+" + _NOT_DATA,
    r"fundrais\w*|donat\w*|crowdfund\w*|united24|handed\s+over|purchas\w*|volunteers?\b",
    r"handed\s+\d[\d,]*\s",  # "we handed 300 FPV drones ... to the units"
    r"charit\w*|raised\s+(?:£|\$|€|\d)|(?<=to )buy\b",
    # supplies sent to the troops: "отправила бойцам ещё 300 FPV-дронов"
    r"(?:отправ(?:ил|или|ила|лен\w*)|відправ(?:ив|или|ила|лено)|передад\w*|передаст\w*)\s+"
    r"(?:\w+\s+){0,2}?(?:бойцам|бійцям|военным|військовим|защитникам|захисникам|подразделениям|"
    r"підрозділам|на\s+фронт|на\s+передову|в\s+зону\s+сво)\b",
]
_MAKE_OBJ = (
    rf"(?:\s+[^\W\d]+){{0,2}}\s+(?:бп?ла|беспилот{W}|безпілот{W}|дрон{W}|птич{W}|fpv|коптер{W})"
)
PRODUCTION = [
    # a "drone wall" along a border: a defence plan, not an attack
    r"(?<=drone )wall\b|(?<=counter-drone )(?:barrier|shield|wall)\b|(?<=стена )дронов\b|"
    r"(?<=стіна )дронів\b|(?<=стіну )дронів\b|(?<=стену )дронов\b",
    rf"производств{W}{_MAKE_OBJ}",
    rf"(?:налад|запуст|организ|расшир|созда|нарастил|увелич)\w*\s+(?:\w+\s+)?производств{W}",
    rf"производител{W}",
    rf"серийн{W}",
    rf"серійн{W}",
    rf"(?:выпуска|выпуст|производ|собира|разрабатыва){W}{_MAKE_OBJ}",
    rf"(?:виробництв|виробля|виготовл|виготовля|розробля){W}{_MAKE_OBJ}",
    rf"(?:налагод|запуст|розширю|збільш)\w*\s+(?:\w+\s+)?виробництв{W}",
    rf"виробник{W}",
    rf"контракт{W}",
    # procurement: "placed a £30 million order for up to 1,200 interceptor drones"
    r"orders?\s+for\b|procure\w*|(?<=to be )built\b",
    r"manufactur\w*|production\s+of|produc(?:e|ed|es|ing)\s+(?:\w+\s+){0,2}(?:drones|uavs)|"
    r"contracts?\b|factory\s+floor|start-?ups?\b",
    r"(?<=drone )makers?\b|(?<=uav )makers?\b|(?:restart|resum)\w*\s+production\b",
    # sanctions on the suppliers of drone parts
    rf"санкц{W}|sanction\w*|components?\b|компонент{W}|комплектующ{W}",
]
DRILL = [
    r"(?<!не )учени(?:я|й|ях|ями|е)\b",  # not "это не учения": a real alarm
    rf"учебн{W}",
    rf"тренировк{W}",
    rf"трениров(?:ка|ки|ок|очн){W}",
    # "навчання" is also school: a drill only with a drill's words around it
    rf"(?:військов|тактичн|командно-штабн|спільн|провели|проведено|пройшли|відбулися|проводитим|"
    rf"проводять)\w*\s+навчан{W}",
    rf"навчан{W}\s+(?:з|із|щодо)\s+(?:відбиття|протидії|відпрацювання|ппо|оборони|дій|"
    r"ліквідації\s+наслідків)\w*",
    # a siren test: "проверка системы оповещения", "перевірка системи оповіщення"
    rf"(?:пройдуть|відбудуться|проведуть)\s+навчан{W}|відпрацю{W}\s+відбиття",
    rf"планов{W}\s+(?:заход|навчан|учени|мероприят){W}",
    rf"(?:провер|перевір){W}\s+(?:\w+\s+)?(?:систем{W}\s+)?(?:оповещени|оповіщенн){W}",
    r"(?:test|testing)\s+of\s+(?:the\s+)?(?:\w+\s+)?(?:warning|alert|siren)\w*",
    rf"тренуван{W}",
    # not "упали на полигон ТБО", "на полигоне твёрдых бытовых отходов"
    r"тренуют\w*|тренуються\b|"
    r"(?:(?<=на )полігоні|(?<=на )полигоне)\b(?!\s+(?:тв[её]рд|бытов|тбо|відход|побутов|сміт))",
    # "стрільба по мішенях, що імітують ударні дрони" (not "Мішенню атаки став НПЗ")
    r"(?<=по )мішен\w*|(?<=по )мишен\w*",
    r"exercises?\b|drills?\b|rehears\w*",
]
EDUCATION = [
    r"кружк?(?:ок|а|и|ов)\b",
    rf"обучени{W}",
    rf"операторов\s+(?:бп?ла|беспилот{W}|дрон{W})",
    rf"соревновани{W}",
    rf"чемпионат{W}",
    rf"змаган{W}",
    rf"змагал{W}|турнір{W}|турнир{W}|tournament{W}",  # "обласний турнір юних операторів дронів"
    rf"гонк{W}",
    rf"выставк{W}",
    rf"виставк{W}",
    rf"форум{W}",
    r"competition\w*|racing\b|exhibition\w*|(?<!on )courses?\b|students?\b|pupils\b",
    # recruiting crews: "Набір до мобільних вогневих груп", "шукаємо", "зарплата від"
    rf"набір\s+(?:до|в|у)\b|набор\s+(?:в|на)\b|ваканс{W}|зарплат{W}|recruit{W}",
]
ADVICE = [
    # what happens "при сигнале воздушной тревоги": a rule for any alert, not an alert now
    r"(?<=при )(?:сигнал\w*|объявлени\w*)\s+(?:воздушной\s+)?тревог\w*|"
    r"(?<=у разі )(?:оголошення\s+)?(?:повітряної\s+)?тривог\w*|"
    r"(?<=в случае )(?:объявления\s+)?(?:воздушной\s+)?тревог\w*|"
    r"(?<=in case of )(?:an?\s+)?(?:air[- ]raid\s+)?(?:alert|alarm)s?\b",
    rf"запре(?:щ|т){W}",
    r"(?<=не )(?:снимайте|снимать|публикуйте|публиковать|выкладывайте|"
    r"(?:подходите|подходить)(?!\s+к\s+окнам)|"  # "не подходить к окнам": an alert's advice
    r"приближайтесь|приближаться|трогайте|трогать|поднимайте|поднимать)\b",
    r"нельзя\b",
    # alarms in general, not one now: "Під час тривог уроки продовжуватимуться в укритті"
    r"(?:під\s+час|во\s+время)\s+(?:повітряних\s+|воздушных\s+)?(?:тривог|тревог)\b",
    # "Ще раз про безпеку під час атак дронів": safety in any attack
    r"безпек\w*\s+під\s+час\s+атак\b|безопасност\w*\s+во\s+время\s+атак\b",
    rf"напомина{W}",
    rf"нагаду{W}",
    r"(?<=не )(?:стійте|виходьте|стойте|выходите)\b",
    rf"при\s+обнаружени{W}",
    # "не распространяйте непроверенные видео": advice, in a report as often as in a denial
    rf"непровер{W}|неперевір{W}",
    r"при\s+(?:атаке|угрозе)\b|(?<=у )разі\s+(?:атаки|загрози)\b|"
    r"(?:(?<=in )|(?<=in the ))(?:case|event)\s+of\b",
    rf"заборон{W}",
    r"(?<=не )(?:знімайте|знімати|публікуйте|публікувати|підходьте|підходити|торкайтеся|"
    r"торкатися)\b",
    rf"штраф{W}",
    rf"правил{W}",
    r"(?<=не )(?:чіпайте|чіпати|торкайтесь|наближайтеся|наближатися)\b",
    # "you help the enemy adjust its next attacks": about attacks to come, not one that came
    rf"(?:наступн|следующ|будущ|майбутн){W}\s+(?:\w+\s+)?(?:атак|удар|обстр){W}",
    # (but "дрони можуть коригувати вогонь" describes the threat)
    rf"(?<!можуть )(?<!може )коригув{W}|корректиров{W}|(?<!могут )(?<!может )корректиру{W}",
    # what might happen: "учиться здесь, даже когда над городом КАБы и «шахеды»"
    r"(?<=даже )когда\b|(?<=навіть )коли\b|(?<=even )when\b",
    # "Ваш коптер легко принять за вражеский и сбить"
    r"принять\s+за\s+вражеск\w*|прийняти\s+за\s+ворож\w*|mistaken\s+for\b",
    r"(?<=not )(?:film|photograph|post|touch|approach|publish|take|share|pick)\b|prohibit\w*|"
    r"banned\b|forbidden\b|fines?\b",
]
AGRICULTURE = [
    # (not the place a drone struck: "сельскохозяйственного предприятия", "farm buildings")
    r"сельскохозяйствен\w*+(?!\s+(?:предприят|объект|постро|строени|техник|склад))",
    rf"агродрон{W}",
    r"сільськогосподарськ\w*+(?!\s+(?:підприєм|об'єкт|споруд|будів|техні|склад))",
    rf"агро(?!підприєм|предприят|холдинг|фірм|фирм|комплекс){W}",
    r"agricultur\w*+(?!\s+(?:enterprise|company|firm|holding|facility|business|premises|"
    r"buildings?|machinery|warehouse))|crops?\b|"
    r"(?<!near a )(?<!on a )(?<!at a )(?<!hit a )(?<!struck a )farm(?!\s+buildings?)\w*",
    # delivery by drone: mail, cargo, medicine
    rf"доставк{W}\s+(?:\w+\s+)?(?:почт|груз|посыл|товар|лекарств|продукт|пошт|вантаж|посил|ліків){W}",
    r"deliver(?:y|ies|ing)\s+(?:of\s+)?(?:mail|parcels?|packages?|goods|medicines?|cargo)|"
    r"(?:mail|parcel|cargo)\s+deliver\w*",
]
COURT = [
    rf"суд(?:ом|у|е|ы|ей|ья|ьи|ебн{W}|им{W}|ебно)?\b",
    rf"приговор{W}",
    rf"осужд{W}",
    rf"обвин{W}",
    # not "возбуждено уголовное дело (по факту атаки)": the report goes on
    rf"(?<!возбуждено )уголовн{W}(?!\s+дел\w*\s+(?:по\s+факту|возбужд))",
    rf"вирок{W}",
    rf"засуд{W}",
    # (not "prosecutors are working at the scene": an inquiry into tonight's attack)
    r"court\b|sentenced\b|convicted\b|trial\b|"
    r"prosecut(?!ors?\s+(?:are|were|have\s+been)\s+(?:working|on|at)\b)\w*",
    # a case against someone who filmed air defence at work: "знімав на телефон роботу ППО"
    r"(?:знімав|знімала|знімали|зняв|зняла|снимал|снимала|снимали|снял|сняла)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:роботу|работу)\s+(?:ппо|пво|протиповітряної|противовоздушной)",
]
AWARD = [
    rf"наград{W}",
    rf"награжд{W}",
    rf"медал{W}",
    rf"відзнак{W}",
    rf"вручил{W}",
    r"вручили\b",
    rf"нагород{W}",
    rf"грамот{W}",
    r"відзначи(?:ла|ли|в)\s+(?:\w+\s+)?(?:бійц|захисник|військов|воїн|екіпаж|розрахун)\w*",
    r"awards?\b|awarded\b|medals?\b|decorated\b|honou?red\s+for\b",
]
CELEBRATION = [
    rf"поздравля{W}",
    rf"поздравлени{W}",
    rf"праздни{W}",
    rf"вітаю{W}",
    r"свят(?:о|а|ом|і|у)\b",
    rf"святку{W}",
    rf"святков{W}",
    rf"годовщин{W}",
    rf"річниц{W}",
    rf"(?:вечн|вічн){W}\s+(?:слав|памят|пам'ят){W}",
    rf"памят{W}",
    rf"пам'ят{W}",
    r"\bday\s+of\s+the\b",
    r"congratulat\w*|anniversary|gratitude|(?<=in )memory",
]
ANALYSIS = [
    rf"эксперт{W}",
    # a commentator who analyses (not "військовий оглядач повідомив, що вночі ... збили")
    r"(?:обозревател|оглядач)\w*(?=[^.!?]{0,60}(?:разбира|анализ|аналіз|розбира|вважає|считает|"
    r"оценива|оціню))|колумніст\w*|колумнист\w*|columnist\w*|op-ed\b",
    rf"аналитик{W}",
    rf"експерт{W}",
    rf"аналітик{W}",
    # "likely" forecasts ("are likely to intensify"); "likely due to" in a report explains
    r"інтерв'ю|интервью|interview\w*",
    r"(?<!running )(?<!own )tally\b(?!\s+(?:to|at|since)\s)|(?:is|are|was|were|be)\s+likely\s+to\b|"
    # (not an official naming the device: "was most likely a decoy drone")
    r"most\s+likely\b(?!\s+(?:an?|the)\s+(?:[\w-]+\s+){0,2}?(?:drones?|uavs?|shaheds?|gerberas?|"
    r"decoys?)\b)|analys\w*|"
    # not the examiners of this drone: "Experts say it carried no explosives"
    r"experts?\b(?!\s+(?:say|said|found|confirmed)\s+(?:it|the\s+(?:drone|uav|wreckage|debris))"
    r"\s+(?:carried|had|was|contained|came|flew|did))"
    r"(?!\s+(?:are|were|have\s+been)\s+(?:examining|inspecting|studying|working))|"
    r"assess\w*+(?!\s+(?:the\s+)?(?:damage|buildings?|consequences|aftermath|site|scene))|"
    r"kill\s+zone|kill\s+web",
    # research: "a paper published this week", "in field tests"
    r"(?:paper|study)\s+published|published\s+(?:a\s+|the\s+)?(?:paper|study)|field\s+tests?\b|"
    r"researchers?\b",
]
# A post headed "Итоги года", "Підсумки місяця": a summary of a period, not a night's report.
REVIEW = [
    # "Results of October:", "October results": a month's report, heading the post
    r"(?<![\s\S])results\s+(?:of|for)\s+(?:the\s+)?(?:month|week|year|january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\b|(?<![\s\S])(?:january|february|march|"
    r"april|june|july|august|september|october|november|december|monthly|weekly)\s+results\b",
    r"(?:итоги|підсумки)\s+(?:\w+\s+){0,2}(?:\d{4}\s+)?(?:года|месяца|недели|року|місяця|тижня)\b",
    r"(?:итоги|підсумки)\s+(?:январ|феврал|март|апрел|ма[йя]|июн|июл|август|сентябр|октябр|ноябр|"
    r"декабр|січн|лют|берез|квітн|травн|червн|липн|серпн|вересн|жовтн|листопад|грудн)\w*",
    r"(?:year|month|week)\s+in\s+review|(?:monthly|yearly|annual)\s+(?:summary|results|report|"
    r"tracker)",
    # "Октябрь в цифрах", "2025 рік у цифрах" (not "Доба на Запоріжжі в цифрах": a day's report)
    r"(?:январ|феврал|март|апрел|май|июн|июл|август|сентябр|октябр|ноябр|декабр|січень|лютий|"
    r"березень|квітень|травень|червень|липень|серпень|вересень|жовтень|листопад|грудень|год|рік|"
    r"месяц|місяць|недел|тиждень|квартал)\w*\s+[ву]\s+цифрах\b",
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"year|month|week|quarter)\s+in\s+(?:numbers|figures)\b",
    r"(?<=\d{4} [ву] )цифрах\b|(?<=\d{4} in )(?:numbers|figures)\b",
]
STATS = [
    r"(?<=с )начала\s+(?:проведения\s+)?(?:специальной|спецопераци\w*|сво\b|войны|года|месяца|"
    r"полномасштабн\w*|вторжени\w*)",
    r"(?<=за )(?:вс[её]\s+время|весь\s+период)\s+(?:проведения\s+)?"
    r"(?:сво\b|специальной|спецопераци\w*)",
    r"(?<=в )20\d\d\s+году\b",  # "кадры сняты в 2023 году"
    rf"(?<=з )початку\s+(?:повномасштабн{W}|року|війни|великої\s+війни|вторгнення)",
    rf"(?<=від )початку\s+(?:повномасштабн{W}|року|війни|великої\s+війни|вторгнення)",
    r"since\s+the\s+(?:full-scale\s+)?(?:war|invasion)\s+(?:began|started)",
    r"(?<=running )tally\b",  # "the running tally since the start of the operation"
    # "С июня ребята сбили 40": since a month, a period's count
    r"(?<=с )(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|"
    r"декабря)\b(?!\s+по\b)",
    r"(?<=з )(?:січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|"
    r"листопада|грудня)\b(?!\s+по\b)",
    r"(?<=since )(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december)\b",
    # "всего с понедельника над регионом сбили 64 дрона": since a weekday, the week so far (not
    # "в ночь с понедельника на вторник", a night's date)
    r"(?<=с )(?:понедельника|вторника|среды|четверга|пятницы|субботы|воскресенья)\b"
    r"(?![^.!?]{0,24}?\bна\s+(?:понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье))",
    r"(?<=з )(?:понеділка|вівторка|середи|четверга|п'ятниці|суботи|неділі)\b"
    r"(?![^.!?]{0,24}?\bна\s+(?:понеділок|вівторок|середу|четвер|п'ятницю|суботу|неділю))",
    r"(?<=since )(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    r"(?<=с )начала\s+недели\b|(?<=з )початку\s+(?:тижня|місяця)\b",
    # "за все эти месяцы": a thank-you for a long period, not a night
    r"(?:все|всі|усі)\s+(?:эти|ці)\s+(?:месяцы|годы|месяцев|місяці|роки)",
    # "Сотни сбитых беспилотников — это сотни спасённых жизней": a long period's tribute
    r"(?:сотни|тысячи|сотні|тисячі|hundreds|thousands)\s+(?:of\s+)?(?:сбитых|збитих|уничтоженных|"
    r"знищених|downed|intercepted)\b",
    r"(?<=по )итогам\b",
    r"цього\s+року\b|(?<=этом )году\b|(?<=this )year\b",  # "Цього року хлопці збили 57"
    r"(?<=за )(?:год|рік|месяц|місяць)\b",
    r"(?<=за )20\d\d\s+(?:год|рік)\b",
    # "за октябрь", "за весь октябрь", "за увесь жовтень"
    r"(?:(?<=за )|(?<=весь ))(?:січень|лютий|березень|квітень|травень|червень|липень|серпень|"
    r"вересень|жовтень|"
    r"листопад|грудень|январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|"
    r"декабрь)\b",
    # a whole month named as the time ("В августе расчёт сбил 17", "in March"): that sentence
    # tells of a period; one sentence only, "the fourth attack in September" is no topic
    r"(?<=в )(?:январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|"
    r"декабре)\b",
    r"(?<=[ву] )(?:січні|лютому|березні|квітні|травні|червні|липні|серпні|вересні|жовтні|"
    r"листопаді|грудні)\b",
    r"(?<=in )(?:january|february|march|april|june|july|august|september|october|november|"
    r"december)\b|(?<=in the )(?:spring|summer|autumn|winter)\b",
    # "Ребята с весны сбили 37", "since the spring"; "после январской атаки"
    r"(?<=с )(?:весны|лета|осени|зимы)\b|(?<=з )(?:весни|літа|осені|зими)\b|"
    r"(?<=за )(?:весну|лето|осень|зиму|літо|осінь)\b|"  # "Только за весну бойцы сбили 37"
    r"since\s+(?:the\s+)?(?:spring|summer|autumn|winter)\b",
    r"(?:январск|февральск|мартовск|апрельск|майск|июньск|июльск|августовск|сентябрьск|"
    rf"октябрьск|ноябрьск|декабрьск){W}\s+(?:атак|удар|нал[её]т|обстрел){W}",
    rf"ежегодн{W}",
    # "Підсумки ночі", "за підсумками роботи ППО станом на 08:30" are the night's report
    # ("Підсумки минулої доби" too)
    r"підсумк(?!\w*\s+(?:(?:минул|попередн|ціє)\w*\s+)?(?:ночі|доби|дня|атаки|роботи|станом|"
    r"відбиття|неділі|суботи|понеділка|вівторка|середи|четверга|п'ятниці))\w*",
    r"итоги\s+(?:\d{4}\s+)?года",
    rf"статистик{W}",
    r"для\s+сравнения|для\s+порівняння|for\s+comparison",  # "Для сравнения: за весь октябрь ..."
    rf"щорічн{W}",
    r"(?<=since the )(?:start|beginning)\b|annual\b|statistics\b|previous\s+year|(?<=in )20\d\d\b",
    r"(?:record\s+)?monthly\s+(?:total|figure|record)|interception\s+rate|(?<=за 12 )месяцев",
]
AFTERMATH = [
    rf"компенсац{W}",
    # "постраждали під час минулих атак": the damage of earlier attacks
    rf"(?:минул|прошл){W}\s+(?:атак|обстріл|обстрел){W}",
    # mourning for the victims of an earlier attack: "3 та 4 жовтня — дні жалоби за загиблими"
    # (not "день жалоби: унаслідок нічної атаки загинули 4 людини", tonight's report)
    r"(?:дні|дня|день)\s+жалоби\s+(?:за|по)\s+(?:загиблими|загиблим|жертвами)|"
    r"(?:день|дни|дня)\s+траура\s+по\s+(?:погибшим|жертвам)|траур\s+по\s+(?:погибшим|жертвам)|"
    r"mourning\s+for\s+the\s+(?:victims|dead)",
    # "Самая большая сумма — 1,8 млн рублей — досталась семье": payments after the damage
    # (not "ущерб превысил 10 млн рублей", the damage itself)
    r"(?:(?<=млн )рубл\w*|(?<=тысяч )рубл\w*|(?<=тыс\. )рубл\w*|(?<=млн )гривень|"
    r"(?<=тисяч )гривень)"
    r"(?=[^.!?]{0,40}(?:досталась|достались|получил|получат|выплач|перечисл|виплат|отримал|"
    r"отримают))",
    r"(?:one-off\s+)?payments?\b|compensation\b",  # "will receive one-off payments of up to"
    rf"выплат{W}",
    rf"выплач{W}",
    rf"виплач{W}",
    rf"виплат{W}",
    rf"восстановлени{W}",
    rf"восстанавлива{W}|восстановил{W}|відновлю{W}",
    rf"відновленн{W}",
    rf"євідновлен{W}",
    r"мфц\b",
    r"цнап\b",
    rf"госуслуг{W}",
    rf"страхов{W}",
    r"compensation\b|reconstruction\b|rebuild\w*|repaired\b|roubles\b|rubles\b|hryvni\w*|"
    r"applications?\s+(?:have\s+been\s+|were\s+)?approved",
    # repairs finished: the damage is in the past ("завершён ремонт школы, повреждённой ...")
    rf"(?:заверш[её]н|закончен|завершил|закончил|провел|провели|завершено|проведено){W}\s+(?:\w+\s+)?ремонт{W}",
    rf"відремонтува{W}|відремонтован{W}",
    r"repairs?\s+(?:\w+\s+){0,3}(?:completed|finished)|(?:completed|finished)\s+repairs?",
]
DENIAL = [
    rf"фейк{W}",
    r"якобы\b",
    r"нібито\b",
    r"(?<=не )соответству\w*\s+действительности",
    rf"неправд{W}",
    rf"опроверг{W}",
    rf"спростов{W}",
    rf"дезинформац{W}",
    rf"дезінформац{W}",
    rf"(?<=в )(?:сети|соцсетях|пабликах)\s+(?:\w+\s+)?распространя{W}",
    rf"(?:(?<=у )(?:мережі|соцмережах)|(?<=в )мережі)\s+(?:\w+\s+)?поширю{W}",
    rf"(?:пабліках|пабликах|телеграм-каналах|телеграм-каналов|пабликов|пабліків)\s+(?:\w+\s+)?"
    rf"(?:поширю|распростран|гуля|ход|ширит){W}",  # "в ряде телеграм-каналов гуляет «новость»"
    r"(?<=, )будто\b|будто\s+бы\b",  # "«новость», будто ночью сбили 15 беспилотников"
    r"fake\b|debunk\w*|disinformation|not\s+true|fact[- ]?check\w*|"
    r"(?:circulating|going\s+around)\s+(?:online|on\s+social\s+media)",
]
PROTECTION = [
    # shelters built to hold: "споруди другого рівня, що витримують уламки шахедів"
    # (what they are built to withstand, debris only: not "місто має витримати удари")
    r"(?:(?<=що )витримують|(?<=які )витримують|(?<=которые )выдерживают|(?<=that )withstand|"
    r"(?<=which )withstand|(?<=to )withstand)\s+(?:[\w-]+\s+)?(?:уламк|обломк|осколк|debris|"
    r"fragments|shrapnel)\w*",
    rf"(?<=для )защит{W}",
    rf"мер{W}\s+(?:защиты|захисту)\s+(?:от|від)",
    rf"(?<=для )захист{W}",
    r"(?<=від )(?:ударів|атак)\b",
    r"(?<=от )(?:ударов|атак)\b",
    rf"установил{W}",
    rf"встановил{W}",
    rf"укрепл{W}",
    rf"сетк{W}",
    rf"сітк{W}",
    r"(?<=to )protect\b|(?<!-)installed\b|nets\b",
    # "сеть из 40 акустических постов обнаружения беспилотников": a network being built
    r"(?:сеть|сети|мережа|мережу|мережі|network)\s+(?:из\s+\d+\s+|з\s+\d+\s+|of\s+\d+\s+)?"
    r"(?:акустич|acoustic)\w*",
]
EXPLAINER = [
    rf"объясня{W}",
    rf"поясня{W}",
    rf"пояснюю{W}",
    rf"спрашива{W}",
    r"запитують\b",
    rf"вспомина{W}",
    rf"згадує{W}",
    rf"згадуєм{W}",
    # not ", explaining that ...", a participle of reported speech
    r"explain\w*+(?<!ing)|(?<!, )explaining\b|explaining\b(?!\s+that\b)|remember\w*|"
    r"recall(?:s|ed|ing)?\b",
    # a map of the usual threats: "Як читати нашу мапу загроз? ... типові напрямки руху"
    r"(?:мап|карт)\w*\s+(?:загроз|угроз)\w*|threat\s+maps?\b",
    r"типов(?:ые|ых|ой|ая|ое|і|их|ий|а|е)\b|typical(?:ly)?\b",
]
# "О сбитых дронах пока не сообщалось": no outcome reported yet. Scanned before the outcome
# verbs (lexicon.FAMILIES), as it opens on one.
NOT_REPORTED = [
    # (opening its sentence: "..., о сбитых не сообщается" leaves the strike before it)
    r"(?:(?<=^о )|(?<=\. о )|(?<=\n о )|(?<=\nо )|(?<=! о ))(?:сбит|уничтожен|перехвачен)\w*\s+"
    r"(?:[\w-]+\s+)?"
    r"(?:пока\s+|ещ[её]\s+|официально\s+)?не\s+(?:сообща|поступал)\w*",
    r"(?:(?<=^про )|(?<=\. про )|(?<=\nпро ))(?:збит|знищен|перехоплен)\w*\s+(?:[\w'-]+\s+)?"
    r"(?:поки\s+|ще\s+|офіційно\s+)?"
    r"не\s+(?:повідомля|надходил)\w*",
]
# MoD front-line claims name drones as a kind of target ("пункты управления БПЛА"), and a
# post may say nothing happened ("no strikes had been reported"): no report in that sentence.
NOT_AN_EVENT = [
    # "no drones were reported shot down": none yet
    r"no\s+(?:drones?|uavs?)\s+(?:have\s+been|has\s+been|were|was)\s+(?:yet\s+)?reported\s+"
    r"(?:shot\s+down|downed|destroyed|intercepted)|"
    r"no\s+reports?\s+of\s+(?:any\s+)?(?:drones?|uavs?)\s+(?:being\s+)?(?:shot\s+down|downed|"
    r"destroyed|intercepted)",
    # bomb disposal: "Піротехніки ДСНС за тиждень знешкодили 312 вибухонебезпечних предметів"
    r"(?:піротехнік|сапер|сап[её]р|взрывотехник|вибухотехнік)\w*\s+(?:[\w-]+\s+){0,4}?"
    r"(?:знешкод|обезвред|вилучил|изъял|уничтожил|знищил)\w*\s+(?:[\w-]+\s+){0,2}?"
    r"(?:вибухонебезпечн|взрывоопасн)\w*|"
    r"(?:bomb\s+disposal|deminers|sappers)\s+(?:[\w-]+\s+){0,4}?(?:defused|neutrali[sz]ed|removed)",
    rf"пункт{W}\s+управлени{W}\s+(?:беспилот|бпла|бпла|дрон|ударн){W}",
    # a comparison with the usual raids: "unlike the usual night-time drone raids"
    r"unlike\b|(?<=the )usual\b",
    # front-line claims by drone crews: "операторы FPV-дронов ... поразили 3 танка"
    rf"оператор{W}\s+(?:\w+\s+)?(?:fpv|бп?ла|беспилот|дрон|ударн){W}|расч[её]т{W}\s+барражирующ{W}",
    rf"никаких\s+(?:атак|ударов|прил[её]тов){W}",
    # "were two weather balloons", "метеозонды": no drones at all
    r"weather\s+balloons?|метеозонд\w*",
    # "there was no drone alert", "тревоги не было"
    r"(?:there\s+was\s+)?no\s+(?:drone\s+|air[- ]raid\s+)?alert\b|тревог\w*\s+не\s+было|"
    r"тривог\w*\s+не\s+було",
    # the MoD's front-line summary: "группировка войск «Север» ... поражены пункты временной
    # дислокации", "нанесли поражение живой силе"
    rf"группировк{W}\s+войск|пункт{W}\s+временной\s+дислокации|живой\s+сил{W}|"
    rf"переднему\s+краю|пункт{W}\s+тимчасового\s+розташування|живу\s+силу",
    rf"расч[её]т{W}\s+(?:беспилот|бпла|дрон|ударн){W}",
    # "the air force said no drones were involved": the weapon was something else
    r"no\s+(?:drones?|uavs?)\s+(?:were|was)\s+(?:involved|used)\b|"
    r"(?:беспилотник|дрон)\w*\s+не\s+(?:применял|использовал)\w*|"
    r"(?:безпілотник|дрон)\w*\s+не\s+(?:застосовувал|використовувал)\w*",
    # "No drones had been reported downed", "The governor did not report any drones downed"
    r"no\s+(?:drones?|uavs?)\s+(?:had\s+been|have\s+been|has\s+been|were|was)\s+reported\s+"
    r"(?:downed|shot\s+down|destroyed|intercepted)",
    # "No drones were shot down." as its own sentence (not "... over Moscow, but 20 were")
    r"no\s+(?:drones?|uavs?)\s+(?:had\s+been|have\s+been|has\s+been|were|was)\s+"
    r"(?:downed|shot\s+down|destroyed|intercepted)(?=\s*(?:[.!]|$))",
    r"(?:did\s+not|didn't)\s+report\s+(?:any\s+)?(?:drones?|uavs?)\s+(?:being\s+)?"
    r"(?:downed|shot\s+down|destroyed|intercepted)",
    r"no\s+(?:interceptions?|strikes?|hits?|impacts?)(?:\s+or\s+(?:interceptions?|strikes?|hits?|"
    r"impacts?))?\s+(?:had|have|has)\s+been\s+reported",
]
# "это больше, чем за всю прошлую неделю (тогда было 15)": the past inside a comparison is
# no past report (a neutral family: its span only hides the words it covers)
COMPARISON = [
    r"(?:больше|меньше|більше|менше|more|fewer)\s*,?\s+(?:чем|ніж|than)\s+"
    r"(?:за|в|во|у|на|вчера|вчора|during|in|on|last|the|yesterday)\s[^.!?]*",
]
ACCIDENT = [
    r"дтп\b",
    rf"авари(?!йн){W}",
    rf"столкнов{W}",
    rf"опрокинул{W}",
    rf"наезд{W}",
    rf"зіткнен{W}",
    rf"перекинул{W}",
    r"accidents?\b|collision\b|car\s+crash",
]
PAST = [
    r"(?:год|лет|рік|роки|років)\s+(?:назад|тому)",
    r"(?<=в )прошлом\s+году",
    r"минулого\s+року|торік\b",
    r"годом\s+ранее",
    r"(?<=в )прошлом\s+(?:месяце|неделе)",
    r"(?<=на )прошлой\s+неделе",
    rf"минул{W}\s+(?:тижня|місяця)",
    rf"минулотижнев{W}",
    r"тогда\b|тоді\b",
    r"(?<=last )(?:week|month|winter|spring|summer|autumn|fall)\b",
    r"(?<=the past )(?:week|month|year)\b",
    r"(?:прошлой|минувшей)\s+(?:зимой|весной|осенью)|прошлым\s+летом|минулої\s+(?:зими|весни|осені)|"
    r"минулого\s+літа",
    r"(?:years?|months?)\s+ago|last\s+year",
    r"однажды\b|одного\s+разу\b",  # an interview: "Однажды за ночь мы сбили восемь"
]
# The press's background paragraph: "Напомним, 28 октября над регионом сбили десять дронов"
# (not "Нагадаємо, вночі ППО збила 5" nor "Напомним: ночью сбиты 3": tonight's news again; a
# date after "ночью" is the past). An earlier day inside a sentence ("Неделей ранее там сбили
# 11", "up from 60 a week earlier") is read by the figures, clause by clause (figures.py).
_MONTH = (
    r"(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр|січ|лют|"
    r"берез|квіт|трав|черв|лип|серп|верес|жовт|листопад|груд)"
)
_NOT_TONIGHT = (
    r"(?![,:]?\s+(?:что\s+|що\s+)?(?:сегодня|этой\s+ночью|минувшей\s+ночью|сьогодні|цієї\s+ночі|"
    rf"(?:ночью|вночі|уночі)(?!\s+(?:\d{{1,2}}|на\s+\d{{1,2}})\s+{_MONTH}))\b"
    # "Напомню: в 02:20–03:50 над городом уничтожены пять": a clock time, no date, is tonight
    r"|[,:]?\s+(?:в|во|около|о|об|с|з|із|близько|примерно)\s+\d{1,2}[:.]\d\d(?!\d)"
    rf"(?![^.!?\n]{{0,12}}?(?:вчера|вчора|накануне|напередодні|\d{{1,2}}\s+{_MONTH})))"
)
BACKGROUND = [
    # "... уничтожены ещё 23 беспилотника — о них сообщалось отдельно": counted elsewhere
    r"(?:(?<=о них )|(?<=об этом )|(?<=про них ))(?:сообщалось|повідомлялося|повідомляли)\s+"
    r"(?:отдельно|ранее|окремо|раніше)\b|(?<=were )reported\s+separately\b",
    rf"напомн(?:им|ю)\b{_NOT_TONIGHT}",
    rf"нагаду(?:ємо|ю)\b{_NOT_TONIGHT}",
    rf"нагада(?:ємо|ю)\b{_NOT_TONIGHT}",
]
