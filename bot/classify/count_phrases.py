"""The phrases around a figure that say what it counts (ru / uk / en, lower case).

counts.py decides; this module only names the shapes of text it looks for, so the rules
there read as sentences ("a breakdown item", "a corrected figure"). Patterns run on
`text.normalise()` output.
"""

from __future__ import annotations

import re

# Between a count and its drone noun: adjectives, "ещё", quotes, emoji, a dash.
ADJ = (
    r"(?:[а-яіїєґ'-]{3,}(?:ых|их|ий|ый|ой|ая|ые|ие|ими|ыми|им|ым|ого|его|ую|ій|ої|ою|і|ні)"
    r"|ещ[её]|ще|всего|усього|всього|более|ворогом|противником|врагом|"
    r"ukrainian|russian|enemy|hostile|more|other|additional|fixed-wing|aircraft-type|"
    r"long-range|iranian-made|attack|strike|kamikaze|jet-powered|aerial|unmanned|combat|"
    r"reconnaissance|suicide|decoy|and|of\s+the|из|з|of)"  # "88 strike and decoy UAVs"
)
# (not across a sentence end: "Вінниччина — 3. Шахеди запускали з ...")
# not across a blank line: "... injures four\n\nRussian drones struck": a headline's figure
_GAP_CHAR = r"(?:[^\w.!?\n]|\n(?![^\S\n]*\n)|_|[.!?](?!\s))"
GAP = re.compile(rf"{_GAP_CHAR}{{0,6}}(?:{ADJ}{_GAP_CHAR}{{1,6}}){{0,4}}")
BARE_TAIL = re.compile(r"\s*(?:[,.;:!?()—–-]|$)|\s+(?:на|над|в|у|over|in|more)\b")
NOUN_THEN_COUNT = re.compile(r"\s*[:—–-]\s*")
CLAUSE_END = re.compile(
    r"\s*(?:шт\.?|штук\w*|од\.?|одиниц\w*|ед\.?|единиц\w*|units?)?\s*(?:[.;!\n]|$)"
)
# "уничтожены беспилотники в количестве 27 единиц": the figure after the noun.
IN_QUANTITY_BEFORE = re.compile(r"(?:в\s+количестве|у\s+кількості|in\s+the\s+number\s+of)\s+$")
# "сбиты 30 из 35 беспилотников", "shot down 30 out of 35 drones": destroyed of launched.
PARTITIVE = re.compile(r"[»\"”]?\s+(?:из|з|із|out\s+of|of)\s+(?:the\s+)?")
# "площадь пожара составила 100 кв. метров": a measure, never a drone count
MEASURE_AFTER = re.compile(
    r"\s*(?:кв\.|квадрат|м2|м²|га\b|гектар|метр|км\b|кілометр|километр|тонн|литр|літр|%|"
    r"процент|відсот|рубл|гривен|грн|руб|square|hectare|met(?:er|re)|tonn?es?|percent)"
)
# "дев'ять безпілотників — шість збили, три подавили": a dash right after a count opens its parts
DASH_OPENS = re.compile(r"\s*[—–]\s")
# "Two more destroyed on approach" (but "three more were downed over Crimea" is an item)
MORE_THEN_VERB = re.compile(r"\s+more\s+(?!were\b|was\b|had\b|have\b)")
# "Пять беспилотников и два катера уничтожены": one verb after two joined figures
JOINED_FIGURES = re.compile(r"\s+(?:и|і|та|й|and)\s+")
# "сегодня", "tonight": the time of the news (a plain "ночью" too, beside the past)
NOW_WORD = (
    r"(?<!\w)(?:сегодня|сейчас|этой\s+ночью|минувшей\s+ночью|только\s+что|сьогодні|зараз|"
    r"цієї\s+ночі|вночі|today|tonight|right\s+now|this\s+morning|overnight)(?!\w)"
)
TONIGHT_WORD = NOW_WORD + r"|(?<!\w)(?:ночью|уночі|last\s+night)(?!\w)"
# "уражено вогневими засобами — 38": a dash may stand between the verb and its figure
VERB_GAP = re.compile(
    r"[\s/—–]{0,4}"
    # "Сбиты, по их версии, 97", "Збито, за даними ППО, 97": the source set off in commas
    r"(?:,\s*(?:по|за|according\s+to)\s+[^,.!?\n\d]{2,40},\s*)?"
    r"(?:(?:ещ[её]|ще|also|another|все|всі|усі|all)\s+)?(?:(?:вогнем|огнем)\s+)?"
)  # "шахедів знищено вогнем 97"
ONLY_SPACE = re.compile(
    r"\s*[—–-]?\s*(?:ещ[её]\s+|ще\s+|уже\s+|вже\s+|already\s+|було\s+|были?\s+|were\s+|was\s+|"
    r"удалось\s+|вдалося\s+|(?:(?:наша|наши|наші)\s+)?(?:пво|ппо)\s+|"  # "Десять наша ПВО сбила"
    # "Двох наші захисники збили"
    r"(?:(?:наши|наші)\s+)?(?:захисники|защитники|військові|военные|бійці|бойцы)\s+|"
    r"(?:had|have|has)\s+been\s+)?"
    r"[«\"“]?"  # "два «заглушили»"
)
OF_THEM = re.compile(r"\s+(?:(?:з|із|из)\s+(?:них|яких|которых)|of\s+(?:them|which))\b")
BREAKDOWN_BEFORE = re.compile(
    r"(?:в\s+том\s+числе|в\s+т\.\s*ч\.|из\s+них|з\s+них|у\s+тому\s+числі|из\s+которых|"
    r"з\s+яких|среди\s+них|серед\s+них|including|among\s+them|of\s+which|of\s+them)"
    r"[\s,:]*(?:[\w'-]+\s+){0,1}$|\(\s*$"
    # "больше всего — девятнадцать — над Шебекинским округом": the largest part, an item
    r"|(?:больше\s+всего|большая\s+часть|більше\s+(?:за\s+)?(?:все|всього)|більша\s+частина|"
    r"найбільше|most\s+of\s+them|the\s+majority)[\s,]*[—–:-]\s*$"
)
# "Больше всего — над Белгородской областью, там сбито 37": the largest part of a total
MOST_OPENING = re.compile(
    r"[\W\d_]*(?:больше\s+всего|більше\s+(?:за\s+)?(?:все|всього)|найбільше|most\s+of\s+them|"
    r"the\s+most)\b[^.!?\n]*"
)
APPROX_BEFORE = re.compile(
    r"(?:более|свыше|около|почти|порядка|примерно|до|понад|більше|близько|майже|приблизно|"
    r"щонайменше|не\s+менее|не\s+менше|десятки|more\s+than|over|about|around|nearly|almost|"
    r"up\s+to|at\s+least|roughly|some|approximately)\s+$"
)
# Not "больше всего — 11 — над Брянской": the most of one place is a breakdown item.
TOTAL_BEFORE = re.compile(
    r"(?<!больше )(?<!более )(?<!більше )(?<!\w)"
    r"(?:всего|в\s+общей\s+сложности|итого|загалом|усього|всього|разом(?!\s+(?:з|із|зі)\b)|"
    r"in\s+total|a\s+total\s+of|"
    # "всего за ночь над областью — пять": four words of head, then a dash
    r"total\s+of)[\s,:]*(?:(?:\S+\s+){0,3}|(?:[^\s—–]+\s+){1,4}[—–]\s+)$"
    # "загалом за ніч над містом уже дванадцять": a longer head that ends in "уже"
    r"|(?:всего|итого|загалом|усього|всього|разом)\s+(?:\S+\s+){0,5}(?:уже|вже)\s+$"
    # "тож за ніч ми вже впоралися з п'ятьма": the night so far
    r"|за\s+(?:эту\s+|цю\s+)?(?:ночь|ніч)\s+(?:\S+\s+){0,2}(?:уже|вже)\s+(?:впора\w*\s+з|"
    r"расправил\w*\s+с|сбил\w*|збил\w*|уничтожил\w*|знищил\w*)\s+$"
    # "Фінал (07:00): за ніч — сім": the night's figure after a dash
    r"|(?<!\w)за\s+(?:ніч|ночь|добу|сутки)\s*[—–]\s*$"
    # "Итог ночи — семь сбитых беспилотников", "Підсумок доби: 12"
    r"|(?<!\w)(?:итог|итоги|підсумок|підсумки)\s+(?:ночи|ночі|суток|доби|дня)\s*[—–:]\s*$"
)
# "однако одному дрону удалось долететь до цеха": the ones that got through were not downed
# (not "ещё три удалось сбить")
GOT_THROUGH = re.compile(
    # the words between are the drone's, not a relative clause ("которым не удалось прорваться",
    # "before they got through") nor a negation
    r"(?:\s+(?!(?:не|not|that|which|who|they|before|after|until|когда|которы\w*|яки\w*|які|чему|"
    r"чого|благодаря|завдяки)\b)[^\W\d][\w'-]*){0,3}?\s+(?<!не )(?:(?:вс[её]\s+)?(?:же\s+)?удалось|"
    r"(?:вс[её]\s+)?(?:ж\s+)?вдалося|managed|got|broke|slipped)\s+(?:to\s+)?(?:долет|прорва|пролет|"
    r"дойти|достичь|достигнуть|долетіт|прорват|пролетіт|дістат|reach|get\s+through|through|"
    r"break\s+through|slip)"
)
GOT_THROUGH_HINTS = ("удалось", "вдалося", "managed", "got", "broke", "slipped")  # (tested)
# A period's count in its own clause: "За прошедшую неделю это уже 63", "Всего с начала января
# их сбито уже 212" (not "это максимум с начала октября" after the figure, nor a period in
# another clause: "за останній тиждень: вночі збито 6")
PERIOD_BEFORE = re.compile(
    r"(?:с\s+начала\s+(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|"
    r"декабр|недели|месяца|года)\w*|з\s+початку\s+(?:січня|лютого|березня|квітня|травня|червня|"
    r"липня|серпня|вересня|жовтня|листопада|грудня|тижня|місяця|року)|за\s+(?:прошедшую|"
    r"минувшую|последнюю|эту|текущую)\s+неделю|за\s+(?:минулий|останній|цей|поточний)\s+тиждень|"
    # a year only after "всего": "Всего с 2024 года ... сбито" (not "впервые с 2024 года")
    r"(?:всего|всього|усього|загалом|итого|in\s+all|in\s+total|altogether)\s+(?:\S+\s+){0,3}?"
    r"(?:с\s+20\d\d\s+года|з\s+20\d\d\s+року|since\s+(?:early\s+|late\s+)?20\d\d))"
    r"[^,:;.!?\n]*$"
)
PERIOD_HINTS = ("начала", "початку", "неделю", "тиждень", " 20")  # a literal of every PERIOD_BEFORE
# "has raised the number of drones downed over the region since midnight to 16": a long head
RAISED_TO = re.compile(
    r"(?:raised|revised|put|brought|increased|updated|lifted)\s+(?:the|his|her|its|their)\s+"
    r"(?:number|figure|count|tally|total)\s+of\s+(?:[\w-]+\s+){0,2}?(?:drones|uavs|shaheds)\b"
    r"[^.!?;]{0,80}?\bto\s+$"
)
# "That makes eleven drones destroyed": a running total only of drones ("That makes three
# nights in a row" is no figure of them)
THAT_MAKES_BEFORE = re.compile(r"(?<!\w)(?:that|this|which)\s+(?:makes|made)\s+$")
DRONES_NEXT = re.compile(
    r"\s+(?:[\w-]+\s+)?(?:drones?|uavs?|shaheds?|destroyed|downed|shot|intercepted)\b"
)
# "... 23:25 — ещё один. На текущий момент сбито три дрона": the count so far, a total only
# after figures it sums up (first in a post, "на текущий момент сбиты 2" is just a figure)
SO_FAR_BEFORE = re.compile(
    r"(?:на\s+(?:текущий|данный|этот|цей|даний|поточний)\s+момент|на\s+зараз|so\s+far)[\s,]+"
    r"(?:\S+\s+){0,2}$"
)
# A figure that closes a running total or corrects an earlier one stands for the whole post:
# "общее число сбитых ... достигло 41", "bringing the night's total to 11", "уточнённые данные
# — 6", "фактически уничтожен 21 БПЛА".
RUNNING_TOTAL_BEFORE = re.compile(
    r"(?:достигл[оа]|сягнул[оа]|досягл[оа]|total\s+(?:rose\s+|rises\s+)?to|"
    r"уточн[её]нн?ые\s+данные|уточнені\s+дані|фактически|фактично|actually|"
    r"уточняем|уточнюємо|уточнение|уточнення|выросл[оа]\s+до|зросл[оа]\s+до|увеличил[оа]сь\s+до|"
    r"(?:rose|risen|grew|(?:gone|went|go)\s+up|increased|climbed)\s+to|"
    r"составля\w+|состав(?:ило|ил|ила)|становить|становило|склал[аои]|"
    r"склав|(?:stands|stood)\s+at|put\s+the\s+(?:[\w']+\s+)?(?:number|figure|total|tally)\s+at|tally\s+to|"
    r"revised\s+(?:\w+\s+){0,2}to|"  # "has since revised that to eleven"
    # "That makes eleven drones destroyed since 20:00"
    r"(?<!\w)(?:that|this|which)\s+(?:makes|made)|"
    r"(?:сч[её]т|число|кількість|рахунок)\s+(?:\w+\s+)?(?:дош[её]л|дошло|дошла|дійш(?:ов|ла|ло))\s+до|"
    # "Кількість знешкоджених дронів зросла: станом на 10:30 — 76"
    r"(?:зросл|выросл)[аои]\s*:\s*(?:станом|по\s+состоянию)\s+на\s+\d{1,2}[:.]\d\d|"
    # "в ОВА цифру виправили — 14": the corrected figure
    r"(?:цифру|число|кількість)\s+(?:\w+\s+)?(?:виправил|исправил|скорректировал|уточнил|уточнил)\w*|"
    # "кількість знищених дронів збільшено з 54 до 61": raised from one figure to another
    r"(?:збільш|увелич|зрос|вырос|increas|rais)\w*\s+(?:з|с|from)\s+\d+\s+(?:до|to)|"
    # "Общее число уничтоженных за ночь беспилотников равняется одиннадцати"
    r"равня(?:ется|лось)|дорівню(?:є|вало)|"
    # "сбили четыре БПЛА, к 08:30 — уже девять": an update by the clock
    r"(?<!\w)(?:к|до|на)\s+\d{1,2}[:.]\d\d\s*[—–-]\s*(?:уже|вже))"
    r"\s*(?:[—–:-]\s*)?(?:\w+\s+){0,1}$"
)
# "Всего за ночь над областью ... уничтожено 9": a sentence that opens with "всего" states
# the total, however far the figure is from it.
TOTAL_SENTENCE = re.compile(
    r"[\W\d_]*(?:всего|итого|загалом|усього|всього|разом|in\s+total|altogether|overall)\b"
)
CLAUSE_PUNCT = re.compile(r"[,;.!?\n—–]")
# "из сорока беспилотников, направленных на ..., 38 уничтожены": the whole that was sent.
WHOLE_BEFORE = re.compile(
    r"(?<!ще )(?<!еще )(?<!ещё )(?<!впоралися )(?<!впорались )(?<!впоралася )(?<!впорався )"
    r"(?<!\w)(?:из|з|із|out\s+of)\s+$|"  # not "ще з двома", "впоралися з п'ятьма"
    r"(?:half|половин\w*)\s+(?:of\s+)?(?:the\s+|из\s+|з\s+)?$"
)
# "Ранее сообщалось о четырёх сбитых ...": the figure the post corrects.
EARLIER_BEFORE = re.compile(
    r"(?:ранее|раніше|previously|earlier)\s+(?:version\s+of\s+this\s+[\w-]+\s+)?"
    r"(?:сообщалось|сообщали|повідомлялося|повідомляли|говорилось|писали|reported|said)"
    r"\s+(?:о|об|про|of)?\s*$"
    # "помилково вказали сім збитих": the figure a correction takes back
    r"|(?:помилково|ошибочно|mistakenly|erroneously|wrongly)\s+(?:[\w']+\s+){0,2}$"
    # "(зранку йшлося про 68)", "о 19:00 ми писали про 6": the figure said before (but
    # "губернатор написал о двух сбитых" says it now)
    r"|(?:йшлося|ішлося|говорилося|шла\s+речь|(?<!\w)писал[аи]?)\s+(?:про|о|об)\s*$"
)
# "Ранее Минобороны отчиталось о 62", "Ранее он сообщал о двух", "Зранку начальник ОВА
# повідомляв про шість": a source's earlier figure, superseded unless the post goes on
# adding to it ("..., ещё три уничтожены"; "Сначала мы сообщали о двух" never matches)
EARLIER_SOURCE_BEFORE = re.compile(
    r"(?:ранее|раніше|earlier)\s+(?:[\w-]+\s+){1,3}(?:сообщ|отчита|заяв|повідом|звіту|"
    r"said|reported)\w*\s+(?:о|об|про|of)?\s*$"
    r"|(?:зранку|вранці|утром|с\s+утра)\s+(?:[\w-]+\s+){0,3}(?:сообщал[аи]?|повідомляв|"
    r"повідомляла|заявлял[аи]?)\s+(?:о|об|про)\s*$"
)
# "Неделей ранее над тем же районом сбили 11 дронов", "в прошлый вторник там сбили шесть",
# "11 drones were shot down over Kursk last Tuesday": an earlier day in the figure's clause
PAST_DAY = re.compile(
    r"(?<!чем )(?<!ніж )(?<!than )(?<!since )(?<!from )(?<!with )(?<!сколько )(?<!как и )(?<!як і )"
    r"(?:(?:в|у)\s+прошл(?:ый|ую|ое)\s+(?:понедельник|вторник|сред[ау]|четверг|пятниц[ау]|"
    r"суббот[ау]|воскресенье)|минул(?:ого|ої)\s+(?:понеділка|вівторка|середи|четверга|п'ятниці|"
    r"суботи|неділі)|(?:неделей|днями|месяцем|тижнем|місяцем)\s+(?:ранее|раньше|раніше)|"
    r"(?:недел[юи]|месяц|месяца|дн(?:я|ей)|тиждень|тижні|тижнів|місяць|місяці|днів|дні)\s+"
    r"(?:назад|тому)|last\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)|"
    r"earlier\s+this\s+(?:week|month)|an?\s+(?:week|month)\s+earlier|"
    # "The night before, Russia sent 305 drones", "A night earlier it had reported 103"
    # ("the previous night", "попередньої ночі" are often last night: not read)
    r"the\s+night\s+before|an?\s+night\s+earlier|"
    # "A week ago ... five UAVs downed", "last week" (not "over the last week": a period)
    r"(?<!as )(?:an?|one|two|three|four|five|six|ten|\d+)\s+(?:days?|weeks?|months?)\s+ago|"
    r"(?<!the )(?<!past )last\s+(?:week|month))\b"
)
# Every PAST_DAY phrase holds one of these words: a fast first look (PAST_DAY opens on
# look-behinds, so searching a whole post with it tries every position)
PAST_DAY_HINT = re.compile(
    r"назад|тому|ранее|раньше|раніше|прошл|минул|last|earlier|ago|before|previous|предыдущ|"
    r"попередн"
)
MORE_LATER = re.compile(
    r"(?<!\w)(?:ещ[её]|ще|another|a\s+further)\s+(?:(?:о|об|про|з|із)\s+)?(?=\d|[^\W\d]+\s)"
    r"(?!уточня|уточню|не\b|нет\b|details|information)"
    r"|\b\w+\s+more\s+(?:drones?|uavs?|were|was|had)\b"
)  # "..., ещё три уничтожены", "Two more were downed" (not "ещё уточняется")
ALL_BEFORE = re.compile(r"(?:все|всех|всі|усі|усіх|всіх|all|all\s+the)\s+$")
ALSO_BEFORE = re.compile(
    r"(?:ещ[её]|также|кроме\s+того|ще|також|another|also|further)\s+\S*\s*$"
    r"|(?:ещ[её]|ще)\s+(?:о|об|про|з|із)\s+$"  # "написал ещё о двух", "ще з двома впоралися"
)
VAGUE = re.compile(
    r"(?<!\w)(?:несколько|нескольких|ряд|кілька|декілька|кількох|several|multiple|"
    r"numerous|dozens|десятки|десятков|більшість|большинство|most)(?!\w)"
)
SINGULAR_NOUN = re.compile(
    r"(?:беспилотник(?:а|ом|е)?|беспилотн(?:ый|ого|ым)\b|безпілотник(?:а|ом)?|безпілотн(?:ий|ого|им)\b|"
    r"(?:дрон(?:а|ом|е)?|(?:fpv|фпв)-?дрон(?:а)?|(?:квадро)?коптер(?:а)?|шахед(?:а|ом|у)?)"
    r"(?:-камикадзе|-камікадзе)?|"  # "ПВО сбила дрон-камикадзе"
    r"(?:the |a |an |one )?(?:drone|uav|(?:unmanned|uncrewed) aerial (?:vehicle|object))|"
    r"(?:летательный\s+)?аппарат)$"
)
ABBREV = re.compile(r"(?:бп?ла|uav)$")
# "обломки сбитого беспилотника", "a downed drone": the outcome describes, it does not report.
ATTRIBUTE = re.compile(r"\w+(?:ого|ому|ым|ых|ой|ую|ая|ые|ої|ій|их|ими|ої|ого)$")
ATTRIBUTE_BEFORE = re.compile(r"(?:\ba|\bthe|\bfrom|\bof)\s+$")
PRONOUN_START = re.compile(r"\s*(?:его|його|он|він|it)\b")
# "... shot it down over Podkarpackie": the next sentence's verb takes the drone as "it" (a
# shooting verb: "The fire destroyed it" is the target's)
PRONOUN_OBJECT = re.compile(r"\s(?:it|его|його)\b")
SHOOTING_VERB = re.compile(r"shot|downed|brought|intercept|сбил|сбит|збил|збит|перехват|перехоп")
# a sentence that places its figure: "число сбитых над Курской областью ... 14, а не 11"
OVER_PLACE = re.compile(r"\b(?:над|під|под|over)\s+[^\W\d]")
# ... and "Ещё два сбиты над Брянском" another place's (not "ещё о двух, уничтоженных над морем")
OVER_LAND = re.compile(r"\b(?:над|під|под|over)\s+(?!мор|акватор|the\s+sea|sea\b)[^\W\d]")
ATTRIBUTIVE_CLAUSE = re.compile(r"\s*,\s*")
# Items of a breakdown that leave the noun out: "над Ейском — четыре, над Новороссийском —
# три", "ещё один — над Воронежской областью", "two more over the Moscow region".
ITEM_AGAIN_BEFORE = re.compile(
    r"(?<!\w)(?:ещ[её]|ще)\s+(?:(?:о|об|про|з|із)\s+)?$|(?:a\s+further|another)\s+$"
)  # "написал ещё о двух", "ще з двома впоралися"
# "Сбиты 2 БПЛА над Льговом и 1 над Рыльском", "14 drones over Belgorod, 6 over Kursk".
ITEM_JOINED_BEFORE = re.compile(r"(?:[,;]|\s(?:и|і|та|й|and))\s*(?:по\s+)?$")  # "и по одному над"
ITEM_PLACE_NEXT = re.compile(
    r"(?:\s*(?:ед|шт|од)\.?)?\s+(?:each\s+)?(?:над|в|у|під|под|over|in|near)\s"
)  # "..., two each over Lipetsk and Tambov"
# "▪️ с 20.00 до 23.00 мск — 12 над Брянской ...;": a list line that gives its figure after a
# dash, with a place (or nothing) after it.
# a bulleted line, or a short "Покровська — 2." under a line with a count
LIST_LINE_BEFORE = re.compile(
    r"(?:^|\n)(?:[^\w\s]{1,3}|\d\ufe0f?\u20e3)\s*[^\n]{0,60}?(?:\s[—–]|(?<!\d):)\s*$"
    r"|\n[^\W\d][^\n.,;:!?]{1,40}?\s[—–]\s*$"
)
LIST_LINE_AFTER = re.compile(r"\s+(?:над|в|у|по|on|over|in)\s|\s*(?:[,.;!\n]|$)")
# One clause, though "3 ед. над краем и 6 ед. над морем" has a full stop after a unit.
ONE_CLAUSE = re.compile(r"(?:[^.!?;\n]|(?<=ед|шт|од)\.)*")
# After "ещё N": a place or a time of its own ("ещё 2 — утром над Курском"), not "ще 6 — поранені".
ITEM_AGAIN_AFTER = re.compile(
    r"\s*(?:[—–-]\s*)?(?:(?:утром|вечером|ночью|дн[её]м|вранці|вночі|ввечері|later|in\s+the\s+\w+)"
    r"\b|(?:над|в|у|на|по|під|под|біля|около|over|in|near)\s|там\s+же\b|тут\s+же\b|there\b)"
    r"|\s*(?:[,.;!\n]|$)"
)
# "а ещё два наши средства РЭБ посадили": a short subject between "ещё N" and its own outcome
SUBJECT_GAP = re.compile(r"(?:[^\S\n]+[\w«»-]+){1,3}?[^\S\n]+")
ITEM_PLACE_AFTER = re.compile(r"\s*[—–-]\s*(?:над|в|у|на|по|під|под|біля|около|over|in)\s")
ITEM_PLACE_BEFORE = re.compile(
    r"(?:^|[\s,;])(?:над|в|у|на|по|під|под|біля|около|over|in)\s+[^.,;:!?\n—–]{2,60}?\s*[—–]\s*$"
)
ITEM_END = re.compile(r"\s*(?:[,.;!\n]|и\s|і\s|й\s|та\s|$)")
# "Глава Брянской области сообщил о восьми сбитых, курский губернатор — о трёх": another
# official's figure, the verb left out after the head's "сообщил о"
SPOKEN_HEAD_BEFORE = re.compile(
    r"(?:сообщил|рассказал|заявил|написал|доложил|повідомив|розповів|заявив|написав|доповів)"
    r"[\w]{0,2}\s+(?:о|об|про)\s+$"
)
SPOKEN_ITEM_BEFORE = re.compile(r"[,;]\s+(?:[^\W\d][\w-]*\s+){1,3}[—–]\s+(?:о|об|про)\s+$")
MORE_PLACE_AFTER = re.compile(
    r"\s+(?:more|others)\s+(?:\w+\s+)?(?:over|in|above|near|were|was|had\s+been|have\s+been)\b"
)
# "сбиты не три, а пять беспилотников": the figure is corrected, the first one is void.
NOT_BEFORE = re.compile(r"(?<!\w)(?:не|not)\s+$")
BUT_AFTER = re.compile(
    r"\s*(?:[^\W\d]+\s*)?,?\s*(?:(?:как|як|as)\s+[^,.!?\n\d]{1,40},\s*)?(?:а|but)\s+"
)  # "не 8 беспилотников, как я писал раньше, а 11"
# "загалом сімнадцять, а не п'ятнадцять", "17, not 15 as first reported": the first stands
RATHER_THAN = re.compile(
    r"(?:\s+(?:drones?|uavs?|беспилотник\w*|дрон\w*|безпілотник\w*))?"  # "Eight drones, not six"
    r"\s*,?\s*(?:(?:а|але|но)\s+не|not|rather\s+than|instead\s+of)\s+(?:the\s+)?"
)
# "Противник атаковал пятью беспилотниками. Все они уничтожены": all that were launched.
ALL_DESTROYED = re.compile(
    r"(?<!\w)(?:все|всі|усі)\s+(?:они|вони|из\s+них|з\s+них|\w+\s+)?(?:были\s+|було\s+)?"
    r"(?:уничтожен|сбит|збит|знищен|подавлен|перехвачен|перехоплен)"
    r"|(?<!\w)all\s+(?:of\s+them\s+|\w+\s+)?(?:were\s+)?(?:shot\s+down|destroyed|downed|intercepted)"
)
# "431 цель сбита": in a post about drones with no missile, the targets are the drones.
TARGET_NOUN = re.compile(r"(?:цел(?:ь|и|ей)|ціл(?:ь|і|ей)|targets?)(?!\w)")
# "уничтожен один беспилотник, второй подавлен": the second one adds one more.
# "второй", "шостий", "a third": one more drone, after those already counted.
_ORDINAL = (
    r"(?:второй|второго|вторий|другий|третий|третього|третій|"
    r"четв[её]ртый|пятый|шестой|седьмой|восьмой|девятый|десятый|"
    r"четвертий|п'ятий|шостий|сьомий|восьмий|дев'ятий|десятий|"
    r"(?:a|the)\s+(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth))"
)
# "A second drone was suppressed": the noun after an ordinal is SECOND's, not a single report.
ORDINAL_BEFORE = re.compile(rf"(?<!\w){_ORDINAL}\s+$")
SECOND = re.compile(
    rf"(?<!\w){_ORDINAL}"
    r"\s+(?:\w+\s+){0,2}?"
    # "Второй дрон, который кружил над селом, бойцы сбили": a drone noun, then its clause
    r"(?:(?:дрон|беспилотник|безпілотник|коптер|шахед|drone|uav)\w*[^.!?\n]{0,80}?\s)?"
    r"[«\"“']?"  # "шостий «приземлили» засобами РЕБ", "a third was 'landed'"
    r"(?:сбит|подавлен|уничтожен|перехвачен|збит|збитий|подавлений|знищений|перехоплений|"
    r"збил\w*|сбил\w*|знищил\w*|уничтожил\w*|перехопил\w*|перехватил\w*|подавил\w*|"
    r"приземл\w*|посадил\w*|посажен\w*|заглуш\w*|"
    r"landed(?=')|"  # "'landed' by electronic warfare" (a drone that just "landed" fell)
    r"(?:was\s+)?(?:shot\s+down|destroyed|intercepted|jammed|suppressed|downed|"
    r"(?:brought|taken|knocked)\s+down))\b"
)
SECOND_WORDS = (
    "втор",
    "другий",
    "трет",
    "четв",
    "пят",
    "шест",
    "седьм",
    "восьм",
    "девят",
    "десят",
    "п'ят",
    "шост",
    "сьом",
    "дев'ят",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
)  # one of these is in every match of SECOND
SINGULAR_VERB = re.compile(
    r"^(?:сбит|уничтожен|перехвачен|подавлен|збитий|знищений|перехоплений|подавлений|"
    r"(?:сбит|уничтоженн|перехваченн|подавленн)ом|"  # "сообщил о сбитом БПЛА"
    r"shot down|destroyed|intercepted|downed)$"
)
# "Беспилотников — 12. Столько уничтожили ...": the next sentence says what they were.
THAT_MANY = re.compile(r"\s*(?:столько|стільки|that\s+many|so\s+many)\b")
# "дві крилаті ракети — обидві збиті": "both" counts the noun before it, which may be a missile.
BOTH = frozenset({"обидві", "обидва", "оба", "обе", "обоих", "обеих", "both"})
MISSILE_WORD = re.compile(r"ракет|missile|бомб|каб\b")
# "знищено два «крила»", "3 «Молнії» подавили": a drone type in quotes stands for the noun,
# unless it names a missile, a bomb or a rocket launcher
QUOTED_NAME = re.compile(r"\s*[«\"“]([^»\"”\n]{2,24})[»\"”]")
NOT_A_DRONE_NAME = re.compile(
    r"калибр|калібр|искандер|іскандер|кинжал|кинджал|циркон|оникс|онікс|точк|нептун|фламинго|"
    r"фламінго|торнадо|ураган|смерч|град|вампир|вампір|х-\d|kh-\d|storm|atacms|himars|брянск|"
    r"курск|азов"
)
# "45 had been shot down and 12 more were lost from radar": the item's own verb follows.
MORE_VERB = re.compile(r"\s+(?:more|others)\s+(?:\w+\s+)?(?:were|was|had\s+been|have\s+been)\s+")
# "ещё 4 дрона атаковали Курчатов": these struck, they were not launched on top of the total.
STRUCK_AFTER = re.compile(r"\s+(?:атаковал|атакува|attacked|struck|hit\b)")
