"""Names: the ones people give for themselves ("my name is ...", "I'm Chloe", "Sophie here",
"- Dave", "Mrs Patel", a pasted signature's name line, "Parent: Jo Smith"), and, as far as words
alone allow, other people's ("my son Finn", "a boy called Tyler", "Kian's brother", "Ella's
school", "my Ffion's 13", a first name in the middle of a sentence).

There is no name-recognition model here (no spaCy model can be downloaded), so names are read
from the words around them, with Faker's lists of first names (MIT; the locales of people who
live in the UK) to know a name typed in lower case ("im jake btw") and to tell "I'm Will" from
"I'm worried". A common English word is a name only where the words around it say so: "Mark
the date", "Grace period?", "May half term" stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from privacy.gazetteer import place_phrases
from privacy.online import is_platform
from privacy.places import FULL_POSTCODE, is_place, street_type_after, street_type_before
from privacy.words import (
    FUNCTION_WORDS,
    LATIN_NAME,
    NUMBER_WORDS,
    SELF_CORRECTION,
    ascii_lower,
    common_words,
    first_names,
    surnames,
    word_set,
)

# Words that follow "I'm" and are not names (states, roles, where, who), beyond the common words.
NOT_NAMES = word_set(
    """
    sorry scared worried fine ok okay good sure afraid terrified desperate confused lost stuck
    done home alone here back new old young single ashamed embarrassed upset angry sad happy
    crying shaking panicking freaking literally actually honestly seriously genuinely kind bit
    very too really just only still also not so going gonna trying doing being getting feeling
    in at on from a an the mum mom mam dad parent carer teacher head deputy dsl dsp nurse
    governor officer student pupil year yr polish british english welsh scottish irish muslim
    christian catholic jewish sikh hindu black white asian mixed deaf autistic gay trans bi
    lesbian straight disabled pregnant gutted devastated mortified furious livid stressed
    depressed anxious tired exhausted broke grounded blocked banned hacked late early off out up
    down over under about around like thinking asking wondering writing messaging texting typing
    looking reading contact ring phoned emailed messaged aye kindly jsem soy sono sou
    mate love hun hon babe babes bro bruv fam guys all everyone lots loads sir miss pal chief
    monday tuesday wednesday thursday friday saturday sunday
    gross weird fake scary horrible illegal urgent worse worst awful creepy dodgy mad crazy sick
    vile rank minging dead proper mental terrible shocking bad private gone deleted everywhere
    serious true real wrong mine theirs lit peak messy normal safe unsafe
    said made bout abt past half quarter until till before after exactly approx nearly almost
    roughly prob probably maybe age aged turning turned legit lowkey deffo defo def
    awkward hard tricky difficult sensitive personal delicate weird
    quiet rubbish grim chaos dark boring lonely busy cold noisy crap shit
    grade form class level stage ks
    ma'am maam madam
    nan nanna nanny gran granny grandma grandad grandpa nain taid mamgu bampi auntie aunty uncle
    greek cypriot turkish albanian kurdish romanian lithuanian latvian ukrainian russian slovak czech
    portuguese spanish italian french german nigerian ghanaian zimbabwean congolese somali eritrean
    jamaican bangladeshi pakistani indian tamil filipino vietnamese chinese arab roma gypsy traveller
    um umm uh uhh er erm hmm ah yp cyp
    mon tues weds thur thurs fri tad mother father grandmother grandfather stepmother stepfather
    priority transaction
    """
)
# what people open or sign off with, not a name: "Update - ...", "... Diolch", "... Cheers."
CLOSINGS = word_set(
    """
    thanks thank thankyou thanku thanx thx ty ta tara cheers diolch hwyl bye byee cya laters ttyl
    regards amen ameen inshallah wallahi wallah salaam help please pls plz sorry asap urgent lol
    lmao omg x xx xxx nevermind whatever anyway update question query concern advice note fyi ps
    """
)
# Not a surname after a first name
NOT_SURNAMES = word_set(
    """
    i im i'm and or but year yr here there again btw please pls thanks thank hi hey monday
    tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december police school dsl mum dad snapchat instagram
    insta tiktok whatsapp discord facebook
    road rd street st avenue ave drive close crescent gardens terrace square mews parade boulevard
    academy college primary grammar infants juniors ysgol
    """
)
# a capitalised word before these names a school or another body, not a person: "Grace Academy",
# "Hewett School", "Ysgol Glan Clwyd" (Welsh: school), "Bryn Primary"
_INSTITUTION_AFTER = re.compile(
    r"[ \t]+(?:(?:[A-Z][a-z]+|High|Free|Church|C of E|CofE|RC)[ \t]+){0,2}"
    r"(?:Academy|College|School|Primary|Grammar|Infants|Juniors|Sixth Form|High School)\b"
)
# (and schools named after a bishop or a cardinal: "the Year 10s at Bishop Vaughan", "Cardinal Newman")
_INSTITUTION_BEFORE = re.compile(
    r"\b(?:Ysgol|Coleg)(?:[ \t]+(?:[A-Z][^\W\d_]*|y|yr))*[ \t]+$|\b(?:Bishop|Archbishop|Cardinal)[ \t]+$"
)
_TITLE_WORDS = word_set(
    "mr mrs ms mx dr sir dame prof professor mister miss pc dc pcso sgt ds di inspector sergeant officer"
    " fr revd rev pastor imam rabbi"
)
_ROLE_NOUNS = (
    r"son|daughter|child|kid|stepson|stepdaughter|friend|mate|bestie|best friend|brother|bro|sister|sis|"
    r"cousin|mum|mom|mam|dad|nan|nana|nanny|gran|granny|grandma|grandad|grandpa|aunt|aunty|auntie|uncle|"
    r"ex|bf|gf|boyfriend|girlfriend|partner|husband|wife|teacher|tutor|coach|carer|foster carer|"
    r"stepdad|stepmum|step dad|step mum|neighbour|boy|girl|lad|guy|man|woman|student|pupil|colleague|"
    r"twin|niece|nephew|social worker|manager|boss|cuz|cuzzy|bezzie|bff|m8|best m8|granddaughter|grandson|"
    r"grandchild|grandkid|stepbrother|stepsister|step brother|step sister|half brother|half sister|lass|"
    r"fella|marra|bruther|bruva|brudda|sista|sistah"
)
# greetings people open with, in English and the languages they write in ("Shwmae", "salaam", "ey up")
_GREETING = (
    r"(?i:hi+|hiya|hey|heya|hello|helo|hallo|morning|afternoon|evening|good\s+(?:morning|afternoon|evening|day)|"
    r"alright|alrite|ey\s?up|ay\s?up|shwmae|shw\s+mae|s'mae|bore\s+da|prynhawn\s+da|noswaith\s+dda|hwyl|"
    r"salaam|salam|salaams|as+alamu?\s?alaikum|wagwan|wagwaan|yo|oi|"
    # Portuguese, Vietnamese, Tagalog, Lithuanian, Irish, Kurdish, Twi, Punjabi, Cantonese
    r"ol[aá]|bom\s+dia|boa\s+tarde|boa\s+noite|xin\s+ch[aà]o|ch[aà]o|kamusta|kumusta|"
    r"magandang\s+(?:umaga|hapon|gabi)|labas|laba\s+diena|sveiki|dia\s+dhuit|dia\s+duit|silav|"
    r"akwaaba|maakye|sat\s+sri\s+akal|nei\s+hou|nei\s+ho|"
    # Hindi and Gujarati, Sinhala, Tamil, Thai, Czech and Slovak, Korean
    r"namaste|namaskar|ja[iy]\s+shr[ie]+\s+krishna|ja[iy]\s+shr[ie]+\s+ram|ram\s+ram|radhe\s+radhe|ayubowan|"
    r"vanakkam|sawa?s?dee(?:\s+k(?:a|ha|rub|hrap))?|ahoj|dobr[yý](?:\s+de[nň])?|annyeong(?:haseyo)?|"
    # Italian, Spanish, Hungarian, Polish, Romanian, French
    r"ciao|hola|buenos\s+d[ií]as|buenas|szia|sziasztok|cze[sś][cć]|dzie[nń]\s+dobry|bun[aă]|bun[aă]\s+ziua|salut|"
    r"bonjour)"
)
_EMOJI = r"[\U0001F300-\U0001FAFF\u2600-\u27BF]"
# a word of letters, accented ones too ("Ciarán", "Inês")
_WORD = r"[^\W\d_](?:[^\W\d_]|['’-])*"
_CAP = r"(?-i:[A-Z][^\W\d_]*(?:['’-][^\W\d_]+)*)"  # capitalised, in re.I patterns too

# "my name is" and "I am" in the other languages people here write it in: Welsh, Urdu and
# Punjabi, Bengali, Polish, Romanian, Lithuanian, Somali, Arabic, Spanish, French, Portuguese,
# Italian, Turkish, Vietnamese, Tagalog, Kurdish, Twi, Irish, Cantonese
_MY_NAME_IS_ELSEWHERE = (
    r"fy enw i yw|fy enw yw|fy enw i ydy|fy enw i ydi|fy enw ydi|enw fi yw|jmenuji se|jsem|mera naam|mera nam|amar naam|amar nam|nazywam si[eę]|"
    r"mam na imi[eę]|numele meu este|numele meu e|m[aă] numesc|mano vardas|magacaygu waa|magacaygu|waxaan ahay|waan ahay|ismi|"
    r"me llamo|je m'appelle|je mappelle|meu nome [eé]|chamo-me|me chamo|eu sou|sou(?:\s+(?:a|o))?|mi chiamo|"
    r"benim ad[iı]m|ad[iı]m|t[oô]i l[aà]|t[eê]n t[oô]i l[aà]|t[eê]n l[aà]|ako po si|ako si|"
    r"(?:ang\s+)?pangalan ko(?:\s+ay)?|a[sš] esu|nav[eê] min|me din de|me din ne|is mise|ngo giu|ngo hai"
)
# a title before the name stays out of it: "my name is Fr Anthony Obi"
_TITLE_BEFORE = r"(?:(?-i:Fr|Father|Rev|Revd|Reverend|Pastor|Imam|Rabbi|Sister|Brother|Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(?=[A-Z]))?"
STATED = re.compile(
    rf"\b(?:my name is|my name's|my names|my nam is|my name it|me name is|me name's|me names|name's|name is|name\s*:|name\s*-|call me|me\s*=|name\s*=|"
    rf"i'm called|im called|i am called|known as|signed|i go by|go by|from\s*:|{_MY_NAME_IS_ELSEWHERE})"
    rf"\s+{_TITLE_BEFORE}(?P<name>{_WORD})",
    re.I,
)
# a form's or a pasted note's labels: "Parent: Joanna Smith", "Child: Mia (Year 9)", "Contact - Jo"
LABELLED = re.compile(
    r"(?:^|\n|[.;,]\s*)(?i:parent|carer|guardian|mum|mam|dad|mother|father|contact|contact name|child|"
    r"child's name|pupil|student|young person|victim|reported by|referrer|staff member|dsl|caller)"
    rf"[ \t]*[:–-][ \t]*{_TITLE_BEFORE}(?P<name>{_CAP})"
)
# a phone or tablet named after its owner, in a pasted signature or on AirDrop: "Sent from
# Kelly's iPhone", "it came from Tyler’s iPhone"
DEVICE_OWNER = re.compile(rf"(?<![\w'’])(?P<name>{_CAP})['’]s\s+(?i:iphone|ipad|macbook|galaxy|pixel)\b")
# "my name Hawre Ahmed": no "is", as people new to English write it
MY_NAME_NO_VERB = re.compile(rf"\b(?i:my name)\s+{_TITLE_BEFORE}(?P<name>{_CAP})")
# a name before the words: "Jade's my name", Welsh "Carys Bevan yw fy enw i", "Gethin ydw i"
NAME_FIRST = re.compile(
    rf"(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?(?:\s+(?i:yw fy enw|ydw i|dw i|is my name)|['’]s\s+(?i:my name))\b"
)
# "names ollie im 12", "name Tom": a name said without "my" at the start of a sentence
NAMES_OPENING = re.compile(rf"(?:^|[.!?,]\s*)(?:names|name)\s+(?P<name>{_WORD})", re.I)
# a name and then an age: "im harpreet im 15", "salaam im sumaiya 15", "its Lowri, 16"
NAME_THEN_AGE = re.compile(
    rf"\b(?:i'm|i’m|im|i am|it's|it’s|its|this is)\s+(?P<name>{_WORD})\s*,?\s+"
    r"(?:(?:and\s+)?(?:i'm|i’m|im|i am|aged?)\s+)?\d{1,2}\b"
    r"(?!\s*(?:%|:|\.\d|am\b|pm\b|mins?\b|minutes|hours?|hrs?\b|days?|weeks?|months?|years?\s+ago|quid|pounds|p\b|k\b))",
    re.I,
)
# a first name and surname in lower case opening a message, then an age: "aled pritchard, 14, bala"
LOWER_NAME_OPENING = re.compile(
    r"^\s*(?P<name>[a-z][a-z'’-]+)[ \t]+(?P<surname>[a-z][a-z'’-]+)\s*,\s*(?:age\s+|aged\s+)?\d{1,2}\b(?!\s*(?:%|:|am\b|pm\b))"
)
# "everyone calls me Seun", "they call me Jo": a name when it is one, not "he calls me names"
# "am" alone at a sentence's start says "I'm" in the north and Scotland: "hiya am Kayleigh"
SELF_INTRO = re.compile(
    rf"(?:\b(?:i'm|i’m|im|i am|calls me|call me)|(?:^|[.!?,]\s*|\b{_GREETING}\s+)am)\s+{_TITLE_BEFORE}(?P<name>{_WORD})",
    re.I,
)
# a parent or carer naming their child first: "I'm Ayesha's mum, Shazia", "Gethin's dad - Owain"
ROLE_THEN_NAME = re.compile(
    rf"\b{_WORD}['’]s\s+(?:mum|mom|mam|dad|mother|father|nan|gran|aunt|auntie|aunty|uncle|carer|"
    rf"foster carer|stepmum|stepdad|step mum|step dad|guardian|sister|brother|teacher)\s*(?:,|-|–|—)\s*"
    rf"(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?\b"
)
# family titles before a name: "it's Nanna Glenys", "Auntie Bev said" (the title is no name)
_FAMILY_TITLE = (
    r"nanna|nana|nan|nanny|nain|gran|granny|grandma|grandad|grandpa|taid|mamgu|bampi|auntie|aunty|aunt|uncle"
)
IT_IS = re.compile(
    rf"\b(?:it's|it’s|its|it is|this is)\s+(?P<me>me\s*,?\s+(?:again\s*,?\s+)?)?(?:(?P<role>{_FAMILY_TITLE})\s+(?=(?-i:[A-Z])))?"
    rf"(?P<name>{_WORD})(?:[ \t]+(?P<surname>{_CAP}))?(?P<after>\s+\w+|\s*[,.!]|\s*{_EMOJI})?",
    re.I,
)
HERE = re.compile(
    rf"(?:^|[.!?]\s+|,\s*|\b(?:{_GREETING}|there)\b[,!]?\s+)"
    rf"(?:it's\s+|its\s+|it is\s+)?(?P<name>{_WORD})(?:[ \t]+(?P<surname>{_CAP}))?"
    r"(?:\s*\([^)]{1,30}\))?\s+here\b",
    re.I,
)
TITLED = re.compile(
    rf"\b(?P<title>Mr|Mrs|Ms|Mx|Dr|Sir|Dame|Prof|Professor|Mister|Miss|mr|mrs|ms|dr|miss|MR|MRS|MS|MISS|DR|PC|DC|PCSO|"
    rf"Sgt|DS|DI|Inspector|Sergeant|Officer|Constable|Detective)\.?[ \t]+(?:[A-Z](?:\.[ \t]*|[ \t]+)(?=[A-Z]))*(?P<name>{_WORD})"
)
# a police rank names a job, not a person: it stays ("PC [name]"); a courtesy title goes with the
# name ("Mrs Patel" -> "[name]")
_RANKS = word_set("pc dc pcso sgt ds di inspector sergeant officer constable detective")
# a family title or a rank at the start of a name found, which stays out of it: "... Nana Brenda"
_TITLE_AT_START = re.compile(
    rf"(?:(?i:{_FAMILY_TITLE})|PC|DC|PCSO|Sgt|Sergeant|Inspector|Officer|Constable|Detective|"
    r"Pastor|Imam|Rabbi|Reverend|Revd|Rev|Vicar)\.?[ \t]+(?=[A-Z])"
)
# thanks in the languages people here sign off in: Welsh, French, Spanish, Portuguese, Italian,
# German, Arabic, Urdu and Hindi, Swahili, Polish
_THANKS_ELSEWHERE = r"diolch(?: yn fawr)?|merci|gracias|obrigad[oa]|grazie|danke|shukran|shukriya|dhanyavaad|asante|dzi[eę]kuj[eę]"
SIGN_OFF = re.compile(
    # "from" signs off on its own or after "love", not after another word ("we're from Carlisle")
    rf"(?:^|[\s,.!?])(?P<sign>(?i:-+|–|—|x+|thanks|thank you|cheers|regards|kind regards|many thanks|{_THANKS_ELSEWHERE}|"
    rf"love from|(?<![^\W\d_]\s)from|love|"
    # a town or a role in brackets after the name: "Regards, Jo Bell (Leeds)"
    # thanks as people type it ("thx, Ayo"); a sign-off word is a whole word: "taken" is no "ta ken"
    rf"best|ta|thx|thnx|thanx|thanku|thankyou|thank u|ty|tysm))(?:(?<=[-–—])|(?![^\W\d_]))"
    rf"(?P<gap>[,!.]?\s*)(?P<name>{_WORD})(?:[ \t]+(?P<surname>{_CAP}))?"
    r"(?:\s*\([^()\n]{1,30}\))?\s*[.!xX]*\s*$",
)
# a last sentence that is only a name, maybe with a role: "... there. Mairead O'Connor", "Jo Armitage, DSL"
LAST_LINE_NAME = re.compile(
    rf"(?:^|[.!?]\s+|\n|\|\s*)(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?"
    r"(?:\s*,\s*[\w ]{1,30})?\s*[.!]?(?:\s*x+)?\s*[.!]?\s*$"
)
# first words: "Karen (Lily's mum) - 07...", "Paul, a youth worker", "Sarah - parent"
# (and an age: "Tran Van Long, 46, father."; the role in the writer's language: "pai", "tatay")
OPENING_NAME = re.compile(
    rf"^\s*(?:{_GREETING}[,!.]?\s+)?(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}(?:[ \t]+{_CAP})?))?"
    r"\s*(?:,\s*\d{1,2}\b\s*)?(?:\(|,\s*(?:a|an|the|mum|mam|dad|parent|carer|teacher|head|dsl|deputy|year|form|"
    r"father|mother|grandmother|grandfather|nan|gran|aunt|uncle|guardian|foster|pai|m[aã]e|tatay|nanay|"
    r"ama|ina|tėtis|mama)\b|-\s|–\s)"
)
_ROLE_IN_BRACKETS = (
    r"(?:[\w'’]+['’]s\s+)?(?:father|mother|dad|mum|mam|parent|carer|foster carer|guardian|grandparent|"
    r"grandmother|grandfather|grandma|grandad|grandpa|granny|nana|nanny|nanna|nain|taid|stepdad|stepmum|"
    r"step-dad|step-mum|aunt|auntie|aunty|uncle|big sister|big brother|older sister|older brother|teacher|"
    r"headteacher|head|dsl|dsp|deputy head|youth worker|social worker|pai|m[aã]e)"
)
# the writer's role, "here", then the name in brackets: "Dad here (Tom Okafor)."
ROLE_HERE_NAME = re.compile(
    rf"(?:^|[.!?]\s+|\n)(?i:{_ROLE_IN_BRACKETS})\s+here\s*[,:-]?\s*\(\s*(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?\s*\)"
)
# a name with the writer's role in brackets: "Balwinder Gill (father).", "Karen (Lily's mum)"
NAME_WITH_ROLE = re.compile(
    rf"(?<![\w'’])(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?\s*\(\s*(?i:{_ROLE_IN_BRACKETS})\s*\)"
)
# a pasted signature: a line that is only a name, after a closing line ("Kind regards", "Sent from
# my iPhone", "--") or above lines with a job title, phone or email
SIGNATURE_LINE = re.compile(
    rf"(?m)^[ \t]*(?:(?-i:Mr|Mrs|Ms|Miss|Mx|Dr|Fr|Rev|Revd)\.?[ \t]+)?(?P<initials>(?:[A-Z]\.[ \t]*)+)?(?P<name>{_CAP})"
    rf"(?:[ \t]+(?P<surname>{_CAP}(?:[ \t]+{_CAP})?))?[ \t]*,?[ \t]*$"
)
_CLOSING_LINE = re.compile(
    r"(?i)(?:regards|wishes|thanks|thank\s+you|cheers|sincerely|faithfully|sent\s+from\s+my\s+[\w ]+|-+|"
    r"best|warmly|yours|diolch)[ \t,.!]*\s*\Z"
)
_CONTACT_BELOW = re.compile(
    r"(?:[ \t]*\n[^\n]*){1,4}?(?:@|\d{3,}[ -]?\d{3}|\b(?i:tel|mob|mobile|phone|t|m|e)\s*:)"
)
# someone to ask for on the phone: "ring 07821 ... ask for Tash", "speak to Lowri"
ASK_FOR = re.compile(
    rf"\b(?i:ask for|asking for|speak to|speak with|talk to|ask to speak to)\s+(?:(?i:my|our)\s+\w+\s+)?"
    rf"{_TITLE_BEFORE}(?P<name>{_CAP})"
)
# a phone number, an email or a house number and street: contact details
_CONTACT_DETAIL = re.compile(r"[\w.+-]+@[\w-]+\.|(?:\+|\b0)\d[\d ]{8,}\d|\b\d{1,4}[a-z]?,?\s+[A-Z]")
# a full name in a block of contact details, a comma and a detail (or a building, then one) after
# it: "Rahim Uddin, rahim.uddin@gmail.com, 12 Werneth Hall Road", "Deborah Akinyemi, Lindisfarne
# Care Home, 9 Cleethorpe Road", "ZANELE NDLOVU, 11 PRINCES AVENUE"; or opening a message:
# "Siobhan Joyce, 07482 119 063", "Stanislav Horváth, Roma family from Slovakia"
CONTACT_NAME = re.compile(
    rf"(?:^|[:;\n]\s*|[.!?]\s+){_TITLE_BEFORE}(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}(?:[ \t]+{_CAP})?))\s*,\s*"
    rf"(?P<detail>(?:{_CAP}(?:[ \t]+{_CAP}){{0,3}}\s*,\s*)?(?:[\w.+-]+@|(?:\+|0)\d|\d{{1,4}}[a-zA-Z]?,?\s+[A-Z]))?"
)
# "I am the grandmother, Rosa", "I'm his mum - Jo": a role, then the name
ROLE_COMMA_NAME = re.compile(
    rf"\b(?i:i'm|i’m|im|i am)\s+(?i:the|a|his|her|their|[\w'’]+['’]s)\s+"
    r"(?i:grandmother|grandfather|grandma|grandad|nan|nanna|gran|mother|father|mum|mam|mom|dad|aunt|auntie|"
    rf"uncle|carer|foster carer|guardian|teacher|sister|brother)\s*(?:,|-|–|—)\s*(?P<name>{_CAP})"
)
# other people
RELATION = re.compile(rf"\b(?:{_ROLE_NOUNS})(?:\s+(?:is|was|called|named)|\s*,)?\s+(?P<name>{_WORD})", re.I)
# "man like jaylen": a person, in London's street English
CALLED = re.compile(
    rf"\b(?:called|named|name was|name is|goes by|calls himself|calls herself|using the name|short for|man like)\s+{_TITLE_BEFORE}(?P<name>{_WORD})",
    re.I,
)
RELATIVE_OF = re.compile(
    rf"\b(?:{_ROLE_NOUNS}|parent|mother|father|grandmother|grandfather|guardian)\s+(?:of|to)\s+(?P<name>{_WORD})",
    re.I,
)
# a first name that starts a sentence is a name when someone then does or says something, or is
# placed among people: "Frankie said", "Grace and me", "Ethan and Maisie", "Grace from my form"
_ACTS_AFTER = re.compile(
    r"\s+(?:(?:and|&)\s+(?:[A-Z]|me\b|i\b)|(?:said|says|told|sent|asked|shared|posted|showed|"
    r"screenshotted|messaged|added|wants|wanted)\b|(?:from|in)\s+(?:my|our|his|her|their|year|yr)\b)"
)
POSSESSIVE = re.compile(
    rf"\b(?P<name>{_WORD}?)(?:'s|’s)\s+(?:older\s+|younger\s+|big\s+|little\s+|new\s+)?(?P<role>{_ROLE_NOUNS}|phone)\b",
    re.I,
)
_A_ROLE = re.compile(_ROLE_NOUNS, re.I)
_FAMILY = re.compile(
    r"mum|mom|mam|dad|nan|nana|nanny|gran|granny|grandma|grandad|aunt|aunty|auntie|uncle", re.I
)
CAPITALISED = re.compile(r"(?<![\w'’@#./-])(?P<name>[A-Z][a-z'’-]+?(?:-[A-Z][a-z]+)*)(?:['’]s)?(?![\w'’@-])")
# "my son", "our kid's mate", "my big brother": whose the person is, so the next word is a name
_OWNER_BEFORE = re.compile(
    r"\b(?:my|our|his|her|their|your)\s+(?:\w+['’]s\s+)?"
    r"(?:(?:big|little|older|younger|baby|twin|eldest|oldest|youngest)\s+)?$",
    re.I,
)
# "my Ffion's 13", "our Kayden is only 12": someone's own, with an age
OWNED_WITH_AGE = re.compile(
    rf"\b(?i:my|our)\s+(?P<name>{_CAP})(?:['’]s|\s+(?i:is))\s+(?i:only\s+|just\s+)?\d{{1,2}}\b"
)
# a name with an age or school year in brackets: "Nafisa Rahman (Y10)", "Yossi (13)"
NAME_WITH_AGE = re.compile(
    rf"(?<![\w'’])(?P<name>{_CAP})(?:[ \t]+(?P<surname>{_CAP}))?[ \t]+\(\s*(?i:y|yr|year|age|aged)?\s*\d{{1,2}}\s*\)"
)
# a known first name alone in brackets: "a girl she knows from school (Tayla)"
NAME_IN_BRACKETS = re.compile(rf"\((?P<name>{_CAP})\)")
# a family title before a name: "Nanna Glenys", "Auntie Bev" (the title is no name)
FAMILY_TITLED = re.compile(rf"\b(?i:{_FAMILY_TITLE})[ \t]+(?P<name>{_CAP})")
# what a child has that names them: "Ella's school said", "Carys's form tutor"
_BELONGING = re.compile(
    r"['’]s\s+(?:(?P<school>form\s+tutor|form\s+teacher|tutor|teacher|class|form|school|head\s+of\s+year)|"
    r"account|snap|insta|bedroom|room|birthday|party|house|(?P<contact>email|e-mail|number|mobile|whatsapp))\b",
    re.I,
)
MONTHS = word_set(
    """
    january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec
    """
)
# helplines, services and apps people name in capitals: not people ("I called Childline", "an app
# called Sendit")
NOT_PEOPLE = word_set(
    """
    childline nspcc ceop shout samaritans barnardos barnardo's papyrus kooth mind refuge ofsted
    police report remove sendit ngl tellonym yolo wink hoop monkey azar chatroulette lmk hinge
    tinder bumble grindr
    christmas xmas easter eid diwali ramadan hanukkah halloween valentine valentines hogmanay
    fifa gta minecraft valorant overwatch warzone robux vbucks v-bucks
    siri alexa cortana bixby papago
    """
)
# words before "called" that say a thing is named, not a person: "its called Sendit", "an app called"
_THING_CALLED = re.compile(
    r"\b(?:it's|it’s|its|it is|it was|app|apps|game|site|website|account|page|group|group chat|chat|"
    r"channel|show|thing|something|server|song|film|video)\s+$",
    re.I,
)
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n\"“(]|[\U0001F300-\U0001FAFF])\s*$")
# words before a capitalised word that make it a place, a saint or an employer, not a person
_PLACE_BEFORE = re.compile(
    r"\b(?:in|from|near|at|of|to the|around|outside|across|throughout|within|into|covers?|covering|visit|"
    r"visiting|(?:went|go|going|been|moved|travel\w*|trip|drove|flew)\s+to|st\.?|saint|"
    r"(?:works?|worked|working|plays?|played|playing|signed)\s+for)\s+$",
    re.I,
)


_WORD_BEFORE = re.compile(r"\b([A-Z][a-z]+)(?:['’]s)?\s+$")
_OF_AFTER = re.compile(r"\s+of\s+[A-Z]")


def _in_a_proper_name(text: str, start: int) -> bool:
    """After a capitalised word mid-sentence that is no first name, title or role, a word is part
    of a place's name: "Small Heath", "Handsworth Wood", "King's Lynn"."""
    m = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    if not m or _sentence_start(text, start - len(m.group(0))):
        return False
    w = m.group(1).lower()
    return w not in first_names() and w not in _TITLE_WORDS and w not in NOT_NAMES


@cache
def countries() -> frozenset[str]:
    """Countries of one word (Faker's list, and the UK's own), not ones that are first names
    ("Jordan", "Georgia", "Kenya")."""
    from faker.providers.address.en_US import Provider as Address

    words = {re.sub(r"\s*\(.*", "", c).lower() for c in Address.countries}
    words |= {"britain", "england", "wales", "scotland", "slovakia", "czechia"}
    return frozenset(w for w in words if " " not in w and w not in first_names())


def _not_a_person(word: str) -> bool:
    w = word.lower()
    return (
        is_platform(word)
        or w in NOT_PEOPLE
        or w in countries()
        or w in MONTHS
        or w in NOT_NAMES
        or re.sub(r"['’]", "", w) in FUNCTION_WORDS
    )


@cache
def _everyday() -> frozenset[str]:
    return common_words() | NOT_NAMES


def is_everyday_word(word: str) -> bool:
    """A word that names no one by itself: an everyday English word, a state, a month or day, a
    number in words, an opening or closing, a title, a role ("Cousin"), a greeting, a platform, a
    helpline or a UK place."""
    w = ascii_lower(word).strip("'’")
    return (
        w in _everyday()
        or w in CLOSINGS
        or w in NUMBER_WORDS
        or w in NOT_NAMES_LOWER
        or w in _TITLE_WORDS
        or bool(_A_ROLE.fullmatch(w))
        or _not_a_person(word)
        or is_place(word)
        or bool(_A_GREETING.fullmatch(word))
    )


def _capitalised(word: str, text: str) -> bool:
    return word[:1].isupper() and not (text.isupper() or (len(word) > 1 and word.isupper()))


# endings of English words that are seldom names: states, doings and things ("panicking",
# "sextortion"); "-eed" is a name's ("Naveed", "Saeed")
# "-ist", "-ator" after a long stem: a job ("Receptionist", "Coordinator"), not "Tigist"
_ENGLISH_ENDING = re.compile(
    r"(?:ing|(?<!e)ed|ly|ful|ous|tion|ment|ness|ity|able|ible|less|ish|ive|ers|(?<=[a-z]{5})(?:ist|ator))$"
)
# things people name in lower case where a name could stand: "its nudes.", "its blackmail."
NOT_NAMES_LOWER = word_set(
    """
    nudes nude pics pic pix photos photo vids vid video videos sextortion blackmail porn scam spam
    abuse bullying harassment grooming police bullies bully snap stuff this that what who
    """
)


def _is_state_word(word: str) -> bool:
    w = word.lower()
    return w in _everyday() or (w not in first_names() and bool(_ENGLISH_ENDING.search(w)))


def _unknown_name(word: str, text: str) -> bool:
    """A word the name lists lack that could be one here ("Cerys", "ffion"): not an everyday word,
    state or thing, a number, a platform, helpline or month, or a post town or county."""
    w = ascii_lower(word)
    return (
        len(w) >= 2
        and bool(LATIN_NAME.fullmatch(w))
        and not _is_state_word(word)
        and not _not_a_person(word)
        and not is_place(word)
        and w not in NUMBER_WORDS
        and w not in CLOSINGS
        and (_capitalised(word, text) or w not in NOT_NAMES_LOWER)
    )


def _first_name(word: str, text: str, strong: bool = False) -> bool:
    """Could be someone's first name here. `strong`: the words before say a name comes next."""
    w = ascii_lower(word).strip("'’-")
    if len(w) < 2 or not (w.isalpha() or LATIN_NAME.fullmatch(w)):
        return False
    if is_platform(word) or re.sub(r"['’]", "", w) in FUNCTION_WORDS:  # "I'm"
        return False
    if strong:
        return w not in FUNCTION_WORDS and w not in NOT_NAMES
    if _capitalised(word, text):
        return not _is_state_word(word) or (
            w in first_names() and w not in NOT_NAMES and w not in FUNCTION_WORDS
        )
    return w in first_names() and w not in _everyday()


_SURNAME = re.compile(r"[ \t]+([A-Z](?:[^\W\d_]+|['’][A-Z][^\W\d_]+)(?:['’-][^\W\d_]+)*)(?![\w'’])")


def _surname_end(text: str, end: int) -> int:
    """Where a name ends when a surname follows it ("Aisha Khan", "Mairead O'Connor", "Kasia
    Wiśniewska"), or two ("Mei Ling Chen") when the second is no everyday word."""
    if text.isupper():
        return end
    for taken in range(2):
        m = _SURNAME.match(text, end)
        if not m or m.group(1).lower() in NOT_SURNAMES or m.group(1).lower() in FUNCTION_WORDS:
            break
        if m.group(1).isupper() and ascii_lower(m.group(1)) in _everyday():
            break  # in capitals: "GRANDSON LIAM HE IS 14"
        if taken and (_is_state_word(m.group(1)) or _not_a_person(m.group(1))):
            break
        end = m.end()
    return end


def _span(text: str, m: re.Match) -> tuple[int, int]:
    """The name the match found, with its initials ("J. Smith") and surname."""
    start, end = m.span("name")
    if "initials" in m.re.groupindex and m.group("initials"):
        start = m.start("initials")
    if "surname" in m.re.groupindex and m.group("surname"):
        return (start, m.end("surname")) if m.group("surname").lower() not in NOT_SURNAMES else (start, end)
    return start, _surname_end(text, end)


def _sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[:start]))


def _a_date(text: str, m: re.Match) -> bool:
    """A month, not a name: "14th April", "June 3rd", "since May"."""
    if m.group("name").lower() not in MONTHS:
        return False
    near = text[max(0, m.start() - 12) : m.end() + 6]
    return bool(
        re.search(r"\d", near)
        or re.search(r"\b(?:in|since|until|till|last|next|this|of|by)\s+$", text[: m.start()], re.I)
    )


def _stated(word: str, m: re.Match, text: str) -> bool:
    """After "my name is", "call me": any word but a function word, a state or a plea ("call me
    pls 07...": "pls" is no name, "Ty" is)."""
    w = ascii_lower(word)
    return _first_name(word, text, strong=True) and not (w in CLOSINGS and w not in first_names())


def _introduced(word: str, m: re.Match, text: str) -> bool:
    return _first_name(word, text) and word.lower() not in NOT_NAMES


_IT_IS_ENDINGS = ("here", "again", "btw", "speaking", "from", ",", ".", "!", "")
_IT_IS_STRONG = ("here", "again", "speaking", "from", "btw")
# a greeting just before "it's"/"this is" introduces someone: "hiya, its Cerys.", "hi this is Olamide, 13"
_GREETING_BEFORE = re.compile(rf"(?:^|[.!?]\s*){_GREETING}\b[,!.]?\s*$", re.I)


def _it_is(word: str, m: re.Match, text: str) -> bool:
    """ "its ellie here", "it's Steve again", "Hi it's Paul, a youth worker": a known first name,
    and a common word ("it's Will") only when "here" or "again" follows. A name the lists lack
    after a greeting or "it's me" ("hiya its ffion,", "its me jaz again", "it's Cerys from yr 10"),
    or as a sentence of its own ("its hibo.")."""
    after = (m.group("after") or "").strip().lower()
    if (
        word.lower() in NOT_NAMES
        or is_platform(word)
        or not (after in _IT_IS_ENDINGS or re.fullmatch(_EMOJI, after))
    ):
        return False
    surname = m.group("surname")
    if surname and (_is_state_word(surname) or _not_a_person(surname) or surname.lower() in NOT_SURNAMES):
        return False
    said_so = bool(m.group("me") or m.group("role") or _GREETING_BEFORE.search(text[: m.start()]))
    punctuated = after in (",", ".", "!") or bool(re.fullmatch(_EMOJI, after))
    if _known_parts(word):  # "its sophie-leigh here"
        if ascii_lower(word) not in _everyday() or after in _IT_IS_STRONG:
            return True
        # a first name that is also a word, greeted and capitalised, then a pause: "hi its Will
        # (yes really), 14", "hiya it's Grace!"
        return said_so and _capitalised(word, text) and (punctuated or not after)
    opens = _sentence_start(text, m.start())
    if _capitalised(word, text):
        # a full name at a sentence's start: "its Rhodri Pryce, landline ..."
        named = after in _IT_IS_STRONG or (punctuated and (said_so or (bool(surname) and opens)))
        # "this is" opening the message: "This is Chidinma, you can WhatsApp me ..."
        named = named or (punctuated and m.group(0)[:4].lower() == "this" and not text[: m.start()].strip())
    else:
        named = (said_so and (punctuated or after in _IT_IS_STRONG)) or (
            opens
            and (
                (after == "." and not word.endswith("s"))  # "its kids."
                or (
                    after == "here" and re.match(r"it['’]?s\b", m.group(0), re.I)
                )  # "its maricel here from slough"
            )
        )
    return named and _unknown_name(word, text)


def _known_parts(word: str) -> bool:
    """A first name in the lists, each part of a hyphenated one ("Sophie-Leigh", "lucy-mae")."""
    return all(p in first_names() for p in ascii_lower(word).split("-"))


def _introduced_or_greeted(word: str, m: re.Match, text: str) -> bool:
    """ "I'm Chloe"; one the lists lack when a greeting comes first ("Helo, im ceri.") or after
    "name" ("name tomos, 14")."""
    if _introduced(word, m, text):
        return True
    punctuated = re.match(r"\s*[,.!]", text[m.end("name") :])
    cue = m.re is NAMES_OPENING or _GREETING_BEFORE.search(text[: m.start()])
    return bool(punctuated and cue) and _unknown_name(word, text)


def _opening(word: str, m: re.Match, text: str) -> bool:
    """The first words name the writer and what they are ("Olumide Bankole, father of ..."):
    a known first name, or one the lists lack in capitals."""
    return _known_name(word, m, text) or (_capitalised(word, text) and _unknown_name(word, text))


def _role_here_name(word: str, m: re.Match, text: str) -> bool:
    """ "Mum here (Joanne Whitfield)": not where ("Youth worker here (Bristol)")."""
    return _opening(word, m, text) and not is_place(word)


def _name_then_age(word: str, m: re.Match, text: str) -> bool:
    """ "im harpreet im 15": an age straight after says the word before is a name; a first name
    that is also a word only with a comma before the age ("im hope, 14", "its Summer, 15")."""
    if word.lower() in NOT_NAMES:
        return False
    if _first_name(word, text) or _unknown_name(word, text):
        return True
    return ascii_lower(word) in first_names() and text[m.end("name") :].lstrip(" \t")[:1] == ","


def _lower_full_name(word: str, m: re.Match, text: str) -> bool:
    """ "aled pritchard, 14": a first name the lists know, then a word that is no everyday word,
    place or street."""
    surname = m.group("surname")
    return (
        _lower_first_name(word)
        and not _is_state_word(surname)
        and not _not_a_person(surname)
        and not is_place(surname)
        and surname not in NOT_SURNAMES
        and surname not in NUMBER_WORDS
    )


def _last_line(word: str, m: re.Match, text: str) -> bool:
    """A message's last sentence that is only a name: a known first name, or one the lists lack
    after another sentence ("... til 3. Lowenna", "Thank you. Shazia"), not a job title ("Youth
    Worker")."""
    surname = m.group("surname") or ""
    if surname.lower() not in surnames() and _ENGLISH_ENDING.search(surname.lower()):
        return False  # "Server Stopped"
    if _known_name(word, m, text):
        return True
    return (
        m.start("name") > 0
        and _capitalised(word, text)
        and _unknown_name(word, text)
        and not (surname and _is_state_word(surname))
    )


def _here(word: str, m: re.Match, text: str) -> bool:
    """ "Sophie here", "Hiya Shaniqua here": a greeting is not the name, nor an everyday word
    ("Office here:")."""
    if _A_GREETING.fullmatch(word) or (ascii_lower(word) not in first_names() and _is_state_word(word)):
        return False
    if _A_ROLE.fullmatch(word) or word.lower() in _TITLE_WORDS:
        return False  # "Stepdad here, Gary": who, not the name
    return _first_name(word, text, strong=True) and (
        _capitalised(word, text) or ascii_lower(word) in first_names()
    )


_A_GREETING = re.compile(_GREETING)


def _known_name(word: str, m: re.Match, text: str) -> bool:
    """A first name in the lists that is no everyday word or greeting ("Olá", "Ola")."""
    return (
        ascii_lower(word) in first_names()
        and word.lower() not in _everyday()
        and not _A_GREETING.fullmatch(word)
    )


_THANKS = re.compile(
    rf"thanks|thank you|cheers|regards|kind regards|many thanks|best|thx|thnx|thanx|thanku|thankyou|thank u|ty|tysm|"
    rf"{_THANKS_ELSEWHERE}",
    re.I,
)


def _contact_name(word: str, m: re.Match, text: str) -> bool:
    """A full name before contact details (any name, not a street, building or place), or
    opening a message (a known first name)."""
    surname = m.group("surname")
    words = [word, *surname.split()]
    if _A_GREETING.fullmatch(f"{word} {surname}"):
        return False  # "Jay Shree Krishna, this is ..."
    if any(w.lower() in NOT_SURNAMES or w.lower() in _BUILDING_WORDS or is_place(w) for w in words):
        return False
    if any(_not_a_person(w) or _A_GREETING.fullmatch(w) or ascii_lower(w) in _everyday() for w in words):
        return False
    if m.group("detail"):
        return all(_first_name(w, text, strong=True) for w in words)
    return (
        not text[: m.start("name")].strip()
        and _known_name(word, m, text)
        and not _is_state_word(surname.split()[0])
    )


_BUILDING_WORDS = word_set("home house court lodge farm hall academy school college centre center hostel")


def _role_then_name(word: str, m: re.Match, text: str) -> bool:
    return _introduced(word, m, text) and not _not_a_person(word)


def _signed(word: str, m: re.Match, text: str) -> bool:
    """A known first name after any sign-off; a name the lists lack ("Thanks, Simran") only in
    capitals after a thanks or regards with a comma or a new line, so "from Leeds" stays."""
    if _known_name(word, m, text):
        return True
    dash = m.group("sign").startswith(("-", "–", "—"))
    if dash and re.search(r"\s[xX]+[\s.!]*$", text[m.end("name") :]) and not m.group("surname"):
        return _unknown_name(word, text)  # a kiss after it: "thx!! - jaz x"
    if dash and _CONTACT_DETAIL.search(text[: m.start()]):
        return _capitalised(word, text) and _unknown_name(word, text)  # "07812 604 339 (me) - Shabana"
    return (
        bool(_THANKS.fullmatch(m.group("sign")))
        and ("," in m.group("gap") or "\n" in m.group("gap"))
        and _capitalised(word, text)
        and _unknown_name(word, text)
    )


def _signature(word: str, m: re.Match, text: str) -> bool:
    """A signature's name line: a known first name, or one the lists lack with a surname or after
    a closing line; never a job title ("Youth Worker", "Pastoral Manager")."""
    surname = m.group("surname")
    if surname and any(_is_state_word(w) or _not_a_person(w) or is_place(w) for w in surname.split()):
        return False
    closing = bool(_CLOSING_LINE.search(text[: m.start()]))
    if not (closing or _CONTACT_BELOW.match(text, m.end())):
        return False
    if _known_name(word, m, text):
        return True
    return _unknown_name(word, text) and (bool(surname) or closing)


# who the writer says they are, in any case: "its teddie with ie", "this is kayden snap is ..."
SAYS_WHO = re.compile(rf"\b(?:i'm|i’m|im|i am|it's|it’s|its|this is)\s+(?P<name>{_WORD})", re.I)
# an email's part before the @, or a username: a word with a dot, an underscore or a digit in it
_ACCOUNT = re.compile(r"(?<![\w@./])[^\W\d_][\w.'-]*(?=@)|(?<![\w@./])[^\W\d_]\w*[._\d][\w.]*")


def _own_account(word: str, m: re.Match, text: str) -> bool:
    """The word is the writer's name when their own email or username in the message starts with
    it ("its teddie with ie, email teddie.f@...", "i'm ffion and my email is ffion.haf.jones@...",
    "this is kayden snap is kaydenn.w"): not an everyday word that is no first name ("im gaming,
    my gt is gaming_pro")."""
    w = ascii_lower(word)
    if len(w) < 3 or w in NOT_NAMES or _not_a_person(word) or is_place(word) or w in _TITLE_WORDS:
        return False
    if _is_state_word(word) and w not in first_names():
        return False  # "gaming", "worried"
    return any(
        ascii_lower(a).startswith(w) and len(a) > len(w) for a in _ACCOUNT.findall(text, m.end("name"))
    )


OWN_NAME_PATTERNS = (
    (STATED, _stated),
    (MY_NAME_NO_VERB, _opening),
    (NAME_FIRST, _introduced),
    (NAMES_OPENING, _introduced_or_greeted),
    (SELF_INTRO, _introduced_or_greeted),
    (IT_IS, _it_is),
    (NAME_THEN_AGE, _name_then_age),
    (LOWER_NAME_OPENING, _lower_full_name),
    (ROLE_THEN_NAME, _role_then_name),
    (HERE, _here),
    (SIGN_OFF, _signed),
    (LAST_LINE_NAME, _last_line),
    (OPENING_NAME, _opening),
    (NAME_WITH_ROLE, _opening),
    (ROLE_HERE_NAME, _role_here_name),
    (LABELLED, _opening),
    (ASK_FOR, _opening),
    (CONTACT_NAME, _contact_name),
    (ROLE_COMMA_NAME, _introduced),
    (DEVICE_OWNER, _opening),
    (SIGNATURE_LINE, _signature),
    (SAYS_WHO, _own_account),
)


# the words before say a name comes: a place's name after them is still someone's ("my name is Ely")
_SAID_TO_BE_A_NAME = (
    STATED,
    MY_NAME_NO_VERB,
    NAME_FIRST,
    NAMES_OPENING,
    SELF_INTRO,
    ROLE_THEN_NAME,
    ROLE_COMMA_NAME,
    LABELLED,
)


_INTRODUCING_PATTERNS = (STATED, SELF_INTRO, IT_IS, NAME_THEN_AGE, HERE)


def _names_a_place(text: str, start: int, end: int, phrases: tuple[tuple[int, int], ...]) -> bool:
    """text[start:end] is a UK place and no first name ("Ipswich here", "Middlesbrough - grandad
    here"), or inside a place's name of two words or more ("Thornton Heath", "Ebbw Vale")."""
    piece = text[start:end]
    if " " not in piece and is_place(piece) and ascii_lower(piece) not in first_names():
        return True
    return any(s <= start and end <= e for s, e in phrases)


# a word said to be a name, which is also a word: "summer (my actual name lol)", "Will (like the
# verb)", "yes can is my name"
_SAID_NAME_ASIDE = re.compile(
    rf"(?<![\w'’])(?P<name>{_WORD})\s*\(\s*(?i:(?:yes|yeah|no|and)\s+)?(?i:(?:that'?s|thats|it'?s|its)\s+)?"
    r"(?i:(?:my\s+)?(?:actual|real|legit|proper)\s+name|like the (?:verb|word|month|season|flower|colou?r|"
    r"drink|city|place|country|car|name))"
)
_SAID_NAME_IS = re.compile(
    rf"(?<![\w'’])(?P<name>{_WORD})\s+(?i:is|=)\s+(?i:actually\s+|really\s+|literally\s+)?"
    r"(?i:my\s+(?:actual\s+|real\s+|first\s+)?name)\b"
)
_INTRODUCING = re.compile(
    r"\b(?i:i'm|i’m|im|i am|it's|it’s|its|this is|my name is|my names|my name's|me names|call me)\s+$"
)
_NOT_SAID_NAMES = word_set("it this that which what who he she they there here")


def _said_names(text: str) -> Iterator[tuple[int, int]]:
    """A word the writer says is their name, where they introduce themselves with it, and where
    they say so: "im can, 14 (yes can is my name)", "this is Will (like the verb)"."""
    said = {
        m.group("name").lower()
        for pattern in (_SAID_NAME_ASIDE, _SAID_NAME_IS)
        for m in pattern.finditer(text)
        if m.group("name").lower() not in _NOT_SAID_NAMES
    }
    for word in said:
        places = [
            m.span() for m in re.finditer(rf"(?<![\w'’@.#/]){re.escape(word)}(?![\w'’@#/])", text, re.I)
        ]
        if not any(_INTRODUCING.search(text[max(0, s - 14) : s]) for s, _ in places):
            continue
        for s, e in places:
            if _INTRODUCING.search(text[max(0, s - 14) : s]) or any(
                m.start() == s for p in (_SAID_NAME_ASIDE, _SAID_NAME_IS) for m in p.finditer(text)
            ):
                yield s, e


# a second first name in lower case after one given: "i'm lily rose and ...", "its mary jane here"
_SECOND_NAME = re.compile(
    r"[ \t]+(?P<second>[a-z]+)(?=\s*(?:[,.!?)]|$)|\s+(?:and|here|btw|from|im|i'm|aged?|\d)\b)"
)


def _second_first_name(text: str, end: int) -> int:
    m = _SECOND_NAME.match(text, end)
    w = m.group("second") if m else ""
    if m and w in first_names() and w not in FUNCTION_WORDS and w not in NOT_NAMES:
        return m.end("second")
    return end


def own_name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Names people give for themselves."""
    phrases = place_phrases(text)
    yield from _said_names(text)
    for pattern, accept in OWN_NAME_PATTERNS:
        for m in pattern.finditer(text):
            if accept(m.group("name"), m, text):
                start, end = _span(text, m)
                if m.group("name").islower() and end == m.end("name") and pattern in _INTRODUCING_PATTERNS:
                    end = _second_first_name(text, end)
                if pattern in _SAID_TO_BE_A_NAME:
                    yield start, end  # "im Nana Ama": the name as said
                elif not _names_a_place(text, start, end, phrases):
                    title = _TITLE_AT_START.match(text, start, end)
                    yield (title.end() if title else start), end  # "... Nana Brenda": the title stays
    for m in TITLED.finditer(text):  # the title goes with the name: "Mrs Patel" -> "[name]"
        word = m.group("name")
        if word.lower() in CLOSINGS:  # "Dear Sir. Please advise"
            continue
        if len(word) > 1 and word.isupper() and (ascii_lower(word) in _everyday() or _not_a_person(word)):
            continue  # in capitals, "MISS YOU", "DR WHO": a name only where no everyday word
        if word[:1].isupper() or (m.group(0)[:1].islower() and not _is_state_word(word)):
            rank = m.group("title").lower() in _RANKS
            start = (
                re.match(r"\.?[ \t]+", text[m.end("title") :]).end() + m.end("title") if rank else m.start()
            )
            end = _lower_surname_end(text, m.end("name")) if word.islower() else m.end("name")
            yield start, _surname_end(text, end)  # "mr reece thompson", "Mr Reece Thompson"


def other_name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Other people's names, from the words around them (measured, not promised: no model)."""
    for pattern in (RELATION, CALLED, RELATIVE_OF):
        for m in pattern.finditer(text):
            word = m.group("name")
            if word.lower() in NOT_PEOPLE or (pattern is CALLED and _THING_CALLED.search(text[: m.start()])):
                continue
            if "," in text[m.start() : m.start("name")] and is_place(word):
                continue  # "Social worker, Norwich locality team"
            if _capitalised(word, text) and _first_name(word, text):
                yield _span(text, m)
            elif (
                _OWNER_BEFORE.search(text[max(0, m.start() - 24) : m.start()]) or pattern is CALLED
            ) and _first_name(word, text):
                # lower case only after "my son", "his mate", "called", with a surname the lists know
                yield m.start("name"), _lower_surname_end(text, m.end("name"))
            elif (
                _OWNER_BEFORE.search(text[max(0, m.start() - 24) : m.start()])
                and _POSSESSIVE_END.search(word)
                and _unknown_name(word[:-2], text)
            ):
                yield m.start("name"), m.end("name") - 2  # "my cousin hetal's ex": whose, so a name
    for m in POSSESSIVE.finditer(text):
        word = m.group("name")
        if _capitalised(word, text) and m.group("role").lower() != "phone":
            known = ascii_lower(word) in first_names() and not _is_state_word(word)
            if known or (_FAMILY.fullmatch(m.group("role")) and _unknown_name(word, text)):  # "Dai's mam"
                yield m.span("name")
        elif _lower_first_name(word):  # "priya's mum", "our lucy-mae's phone"
            yield m.span("name")
    for pattern in (OWNED_WITH_AGE, FAMILY_TITLED, NAME_WITH_AGE):
        for m in pattern.finditer(text):
            word = m.group("name")
            if _is_state_word(word) or _not_a_person(word) or is_place(word) or _A_ROLE.fullmatch(word):
                continue  # "my Cousin is 15"
            yield _span(text, m) if pattern is NAME_WITH_AGE else m.span("name")
    for m in NAME_IN_BRACKETS.finditer(text):
        word = m.group("name")
        if _capitalised(word, text) and _known_name(word, m, text) and not is_place(word):  # "(Bradford)"
            yield m.span("name")
    if text.isupper():
        return
    for m in CAPITALISED.finditer(text):
        word, start = m.group("name"), m.start()
        if _capitalised_name_belongs(word, text, m):  # "Ella's school said", "Carys's form tutor"
            yield m.span("name")
            continue
        if not all(p in first_names() for p in ascii_lower(word).split("-")):
            continue
        if _is_state_word(word) or is_place(word) or word.lower() in _TITLE_WORDS or _not_a_person(word):
            continue  # "over Easter"
        if ascii_lower(word) in _FAMILY_TITLES and re.match(r"[ \t]+[A-Z]", text[m.end() :]):
            continue  # "Nanna Glenys": a title
        if _PLACE_BEFORE.search(text[max(0, start - 20) : start]) or _a_date(text, m):
            continue
        if _after_a_place_or_article(text, start) or _COUNTY_AFTER.match(text, m.end()):
            continue  # "Cromer Pier", "Wakefield Trinity", "a Dove advert", "Boston lincs"
        if street_type_before(text, start):  # "7 Church Lane, Ely": a town
            continue
        if (
            _in_a_proper_name(text, start)
            or _OF_AFTER.match(text, m.end())
            or street_type_after(text, m.end())
        ):
            continue  # "Small Heath", "Duke of Edinburgh", "Thornton Road": a place's or a thing's name
        if _sentence_start(text, start) and not _ACTS_AFTER.match(text[m.end() :]):
            continue
        yield _span(text, m)


_POSSESSIVE_END = re.compile(r"['’]s$")
# a county, or the short name of one, after a town: "Boston lincs", "Newark Notts"
_COUNTY_AFTER = re.compile(
    r"[ \t]+(?i:lincs|notts|yorks|lancs|hants|herts|beds|bucks|berks|wilts|glos|oxon|cambs|staffs|worcs|"
    r"warks|leics|northants|shrops|derbys|lincolnshire|nottinghamshire|yorkshire|lancashire|hampshire|"
    r"cornwall|devon|kent|essex|norfolk|suffolk|powys|gwynedd|cumbria|somerset|dorset)\b"
)
_ARTICLE_BEFORE = re.compile(r"\b(?i:a|an|the)\s+$")


def _after_a_place_or_article(text: str, start: int) -> bool:
    """A first name just after a UK place ("Cromer Pier", "Wakefield Trinity") names a place, a
    team or a thing; after "a", "an", "the" it names a brand or a thing ("a Dove advert")."""
    if _ARTICLE_BEFORE.search(text[max(0, start - 5) : start]):
        return True
    m = _WORD_BEFORE.search(text[max(0, start - 30) : start])
    return bool(m) and is_place(m.group(1)) and ascii_lower(m.group(1)) not in first_names()


_FAMILY_TITLES = frozenset(_FAMILY_TITLE.split("|"))


def _capitalised_name_belongs(word: str, text: str, m: re.Match) -> bool:
    """ "Ella's school", "Carys's form tutor": a known first name with what a child has, or one
    the lists lack with their school or teacher."""
    belonging = _BELONGING.match(text, m.end("name"))
    if not belonging or _is_state_word(word) or _not_a_person(word) or is_place(word):
        return False
    known = all(p in first_names() for p in ascii_lower(word).split("-"))
    # one the lists lack with their school, or their contact details ("Chipo's email is ...")
    told = belonging.group("school") or belonging.group("contact")
    return known or (bool(told) and _unknown_name(word, text))


_LOWER_SURNAME = re.compile(r"\s+([a-z]+(?:-[a-z]+)?)(?![\w'’])")


def _lower_first_name(word: str) -> bool:
    """A first name typed in lower case, each part of it ("priya", "lucy-mae"), not an everyday word."""
    parts = ascii_lower(word).split("-")
    return word.islower() and all(p in first_names() and p not in _everyday() for p in parts)


def _lower_surname_end(text: str, end: int) -> int:
    """Where a name in lower case ends when a surname the lists know follows ("reece harrison",
    "ethan walsh-taylor")."""
    m = _LOWER_SURNAME.match(text, end)
    if m and all(p in surnames() and p not in _everyday() for p in m.group(1).split("-")):
        return m.end()
    return end


_POSTCODE_AFTER = re.compile(rf"\s*,?\s*{FULL_POSTCODE.pattern}", re.I)
# a nickname in brackets after a name: "its chantelle (chantz) im 15"
_NICKNAME_AFTER = re.compile(rf"[ \t]+\((?P<nick>{_WORD})\)")


# a name put right: "its Siobhan, sorry, Siobhán", "my name is Jo... I mean Joanne"
_CORRECTED_AFTER = re.compile(rf"{SELF_CORRECTION}(?P<nick>{_WORD})")


def _nickname(text: str, end: int) -> tuple[int, int] | None:
    """Another name for the same person just after a name: in brackets, or put right."""
    for pattern in (_NICKNAME_AFTER, _CORRECTED_AFTER):
        m = pattern.match(text, end)
        nick = m.group("nick") if m else ""
        if is_place(nick):
            continue  # "Regards, Jo Bell (Bradford)": where, not who
        if (nick.islower() or nick.istitle()) and (_known_name(nick, m, text) or _unknown_name(nick, text)):
            return m.start("nick"), _surname_end(text, m.end("nick")) if nick.istitle() else m.end("nick")
    return None


# letters one by one: "R A H U L", "j-o-s-h", "T.E.D.D.I.E"
SPELT_OUT = re.compile(r"(?<![\w.-])(?:[^\W\d_][ \t.-]+){2,}[^\W\d_](?![\w-])")


def _spelt_names(text: str, found: set[tuple[int, int]]) -> Iterator[tuple[int, int]]:
    """A name found, spelt out a letter at a time ("it's Rahul, R A H U L")."""
    words = {ascii_lower(w) for s, e in found for w in re.findall(_WORD, text[s:e])}
    for m in SPELT_OUT.finditer(text):
        if ascii_lower(re.sub(r"[\s.-]", "", m.group(0))) in words:
            yield m.span()


def name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Own and other people's names, without a possessive 's ("Millie's snap" -> "Millie"), and
    each again wherever it comes back in the message ("my name's Eilidh ... Eilidh is Scottish").
    Capitalised words just before a postcode are a town ("Milton Keynes MK4 2FD")."""
    found = set()
    phrases = place_phrases(text)
    others = [s for s in other_name_spans(text) if not any(a <= s[0] and s[1] <= b for a, b in phrases)]
    for start, end in (*own_name_spans(text), *others):
        trimmed = _POSSESSIVE_END.search(text[start:end])
        end = start + trimmed.start() if trimmed else end
        if _INSTITUTION_AFTER.match(text, end) or _INSTITUTION_BEFORE.search(
            text[max(0, start - 30) : start]
        ):
            continue  # "Grace Academy", "Ysgol Glan Clwyd": a school's name
        if text[start:end].lower().startswith(("ysgol ", "coleg ", "bishop ", "archbishop ", "cardinal ")):
            continue
        if _POSTCODE_AFTER.match(text, end):
            continue
        found.add((start, end))
        yield start, end
        if nickname := _nickname(text, end):
            found.add(nickname)
            yield nickname
    yield from _spelt_names(text, found)
    for word in {_POSSESSIVE_END.sub("", w) for s, e in found for w in re.findall(_WORD, text[s:e])}:
        if (
            len(word) > 2
            and (_capitalised(word, text) or _lower_first_name(word) or _unknown_name(word, text))
            and word.lower() not in _TITLE_WORDS
            and not _not_a_person(word)
        ):
            for m in re.finditer(rf"(?<![\w@.#/]){re.escape(word)}(?![\w@#/])", text):
                # with a surname where it comes back: "i am called Dafydd, Dafydd Jones"
                yield m.start(), _surname_end(text, m.end()) if _capitalised(word, text) else m.end()
