"""Redaction (privacy/): each kind, what must be left alone, the measured sets, the logs, and
the safeguarding screen on postcodes and house numbers."""

import logging

import pytest

from privacy import redact
from privacy.events import HeldOriginals, redact_event
from privacy.logs import redact_logs
from privacy.measure import SETS_DIR, load, redacted_regions, report, score


@pytest.mark.parametrize(
    "text,expected",
    [
        # phones: mobiles, landlines, international, dashes and brackets, drama ranges
        ("my num is 07412345678", "my num is [phone]"),
        ("call me 07412 345 678 after school", "call me [phone] after school"),
        ("mob: +44 7412 345678", "mob: [phone]"),
        ("(020) 7946 0958 is the house phone", "[phone] is the house phone"),
        ("ring 0117 496 0843 ext 22", "ring [phone]"),
        # an extension goes with its number; digits said in words; a digit too many
        ("Tel: 01228 516 051 (ext. 204).", "Tel: [phone]."),
        ("text me on oh seven seven double oh nine hundred five two one pls", "text me on [phone] pls"),
        ("ring 07700 nine hundred 318 or 01274 960 72 one", "ring [phone] or [phone]"),
        ("ring her on 07700 9000 819 (i put an extra 0)", "ring her on [phone] (i put an extra 0)"),
        ("his whatsapp is 447700900123", "his whatsapp is [phone]"),
        ("his whatsapp was +40 721 234 567", "his whatsapp was [phone]"),
        ("my dads number is +44 (0)7700 900 215", "my dads number is [phone]"),
        # emails
        ("JOHN.SMITH@GMAIL.COM is his email", "[email] is his email"),
        ("email jo_bloggs99+help@yahoo.co.uk.", "email [email]."),
        # postcodes: full, lower case, and a district where someone lives
        ("we're at SW1A 1AA", "we're at [postcode]"),
        ("my postcode is g12 8qq", "my postcode is [postcode]"),
        ("we live in WF10", "we live in [postcode]"),
        ("i live in the L8 area", "i live in the [postcode] area"),
        # odd spacing
        ("our postcode, TR18  4DX.", "our postcode, [postcode]."),
        ("forgot my postcode, LL57 2 DG. my nain", "forgot my postcode, [postcode]. my nain"),
        # addresses
        ("I live at 4 Smith St", "I live at [address]"),
        ("flat 2b, 14 high street", "[address]"),
        ("my address is 5 The Crescent", "my address is [address]"),
        ("Flat 6, Brunswick Court, Hull", "[address], Hull"),
        ("we live on Victoria Road", "we live on [address]"),
        ("we're at 10 Ridgeway, CV4 7AL", "we're at [address], [postcode]"),
        # Welsh streets (type first), a house name before its street, a house name only a cue makes one
        ("we moved to 12 Stryd y Castell", "we moved to [address]"),
        ("post it to Maes yr Haf, SA31 2PG", "post it to [address], [postcode]"),
        ("Rosebank, Church Street, DN21 3QT", "[address], [postcode]"),
        ("send it to Ty Gwyn, Heol Fawr", "send it to [address]"),
        ("We're at Tŷ Newydd, Lon Isaf, Menai Bridge", "We're at [address], Menai Bridge"),
        (
            "she lives with us at Chy an Dour, Trelawney Road, Helston",
            "she lives with us at [address], Helston",
        ),
        # a direction in the street's name, a flat after the street
        ("Address: 24 Gravelly Hill North, B23 6BT.", "Address: [address], [postcode]."),
        ("We live 3 Lowther Street flat 5. My english", "We live [address]. My english"),
        # a range of houses, a Scottish flat, "rhif", a typo in "lane", a house with no street
        ("we live at 12-14 High Street, Bangor", "we live at [address], Bangor"),
        ("flat 3/2, 45 Dumbarton Rd", "[address]"),
        ("Rhif 4, Heol y Nant", "[address]"),
        ("our address is 7 Church Lnae, Ely", "our address is [address], Ely"),
        ("we live at Brynteg, Llanrug, LL55 4AB", "we live at [address], Llanrug, [postcode]"),
        # handles and profile links
        ("my snap is @lily_rose", "my snap is [handle]"),
        ("his insta: jay.k_99", "his insta: [handle]"),
        ("add me on snap its bella2010", "add me on snap its [handle]"),
        ("https://www.instagram.com/some.user/ posted it", "[handle] posted it"),
        ("tiktok.com/@exposing.us is the account", "[handle] is the account"),
        ("his discord is shadow#4821", "his discord is [handle]"),
        # handles said in words, in mixed case, and several accounts
        ("his snap is cumbrian dot lad underscore 09", "his snap is [handle]"),
        ("its spelt r e u b e n underscore l e v y underscore x. help", "its spelt [handle]. help"),
        ("her snap is aisha with two a's then underscore bfd dot x, she", "her snap is [handle], she"),
        ("his tiktok is rhondda rebel two thousand and eight. im 15", "his tiktok is [handle]. im 15"),
        ("on Roblox from someone called xXcymruXx.", "on Roblox from someone called [handle]."),
        ("hes got 6 accounts: cai.adr, cai.adr2 and caiii_x0", "hes got 6 accounts: [handle] and [handle]"),
        # letters of any alphabet, hyphens, Discord's new "#0", one character at a time
        ("her insta is zoë_x, add me @zoë.x", "her insta is [handle], add me [handle]"),
        (
            "his snap is jay-b-07 and his discord is jay.b#0",
            "his snap is [handle] and his discord is [handle]",
        ),
        ("his snap is J A Y B 0 7", "his snap is [handle]"),
        # names people give
        ("Hi, my name is Jasmine", "Hi, my name is [name]"),
        ("I'm Priya, 15", "I'm [name], 15"),
        ("im leah and im in year 8", "im [name] and im in year 8"),
        ("It's Daniel here", "It's [name] here"),
        ("Jasmine here, mum of two", "[name] here, mum of two"),
        ("Thanks for the help - Becky", "Thanks for the help - [name]"),
        ("This is Mrs Ali, the DSL", "This is [name], the DSL"),
        ("my name is Aisha Khan and im 15", "my name is [name] and im 15"),
        ("thanks, jess", "thanks, [name]"),
        # lower case, and no platform named
        ("he lives on church street near the shop", "he lives on [address] near the shop"),
        ("add me kingdavo_22 if u want", "add me [handle] if u want"),
        # a username's own trailing _ or . stays in it; a full stop after a letter ends the sentence
        ("his insta is x_jordn_. we stopped talking", "his insta is [handle] we stopped talking"),
        ("add me on snap: k.lee_07.", "add me on snap: [handle]."),
        # names the lists lack, in a sign-off after thanks and in "it's ... from"
        ("Many thanks,\nOluwaseun", "Many thanks,\n[name]"),
        ("hiya it's Carys from the youth club", "hiya it's [name] from the youth club"),
        # a possessive stays out of the name; a name that starts a sentence and then acts
        ("my mate Tyler's brother sent it", "my mate [name]'s brother sent it"),
        ("Ruby said he does it to everyone", "[name] said he does it to everyone"),
        # names said in Welsh and other languages, and greetings in them
        ("helo, fy enw i yw Gethin. im 14", "helo, fy enw i yw [name]. im 14"),
        ("Mali Pritchard yw fy enw i", "[name] yw fy enw i"),
        ("nazywam się Zofia, mam 14 lat", "nazywam się [name], mam 14 lat"),
        ("hwyl, its Lowri, 16, from Caernarfon", "hwyl, its [name], 16, from Caernarfon"),
        ("Helo, im ceri. someone made a snap", "Helo, im [name]. someone made a snap"),
        # a name then an age, "names", "it's me ... again", a sentence of its own
        ("im harpreet im 15 a boy at gurdwara", "im [name] im 15 a boy at gurdwara"),
        ("salaam im sumaiya 15, this girl", "salaam im [name] 15, this girl"),
        ("names ollie im 12", "names [name] im 12"),
        ("i go by Tash on there", "i go by [name] on there"),
        ("Jade's my name and im 14", "[name]'s my name and im 14"),
        ("hiya am Kayleigh, 14", "hiya am [name], 14"),
        ("alright its me jaz again lol", "alright its me [name] again lol"),
        ("im so scared. its hibo. my uncle will kill me", "im so scared. its [name]. my uncle will kill me"),
        # a last line or an opening with a name the lists lack; initials; accents; three names
        ("Please call after 3. Lowenna", "Please call after 3. [name]"),
        ("Thank you. Naveed Hussain", "Thank you. [name]"),
        (
            "Good evening. Olumide Bankole, father of a 14 year old",
            "Good evening. [name], father of a 14 year old",
        ),
        ("Mrs S. Graham, Pastoral Manager", "[name], Pastoral Manager"),
        ("Good day, I am Kasia Wiśniewska, I work", "Good day, I am [name], I work"),
        ("Hi, I'm Mei Ling Chen, I run a takeaway", "Hi, I'm [name], I run a takeaway"),
        ("Hi it's Siobhan O'Connell, mam of two", "Hi it's [name], mam of two"),
        # other people's names in lower case after "called" and as possessives; new role words
        ("a lad called reece harrison is saying", "a lad called [name] is saying"),
        ("i'm priya's mum, priya is 14", "i'm [name]'s mum, [name] is 14"),
        ("wagwan, my cuz Rahima got her nudes leaked", "wagwan, my cuz [name] got her nudes leaked"),
        ("Aye, it's Dai's mam. He's 14", "Aye, it's [name]'s mam. He's 14"),
    ],
)
def test_each_kind_is_replaced_by_its_placeholder(text, expected):
    """The rules alone (the tagger adds to them: tests/unit/test_redaction_tagger.py)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # numbers said aloud, their groups apart with commas; "plus" for +
        (
            "my number is oh seven nine four one, two two six, eight oh three please",
            "my number is [phone] please",
        ),
        (
            "the house phone is oh one nine one, four nine oh, double seven two one, I",
            "the house phone is [phone], I",
        ),
        ("ring plus four four seven seven double oh nine hundred one two three", "ring [phone]"),
        # emails said aloud: joiners, a number said in words, several words after "my email is"
        ("email me at grace underscore obeng nineteen at hotmail dot co dot uk", "email me at [email]"),
        ("it's abena dot mensah sixty at gmail dot com ok", "it's [email] ok"),
        ("my email is margate mum seventy one at yahoo dot co dot uk", "my email is [email]"),
        ("my email address is d dot penrose at exeter dot ac dot uk", "my email address is [email]"),
        ("email is rahul dot k at the rate gmail dot com", "email is [email]"),
        ("my email is jo b @ gmail . com", "my email is [email]"),
        # a comma typed for the last dot; the cue's own words stay out
        ("my email is kelsey.mcdonagh@gmail,com can u", "my email is [email] can u"),
        ("Email me ruta.kaz@outlook.com", "Email me [email]"),
        # a handle said in words with letters said one by one at its end
        ("her tiktok is lola underscore gateshead x x, two x's", "her tiktok is [handle], two x's"),
        # a postcode said a character at a time
        ("Post code S A 1 8 E N. Phone", "Post code [postcode]. Phone"),
        ("post code c f one four, three a b please", "post code [postcode] please"),
        # a plot on a site, a flat's building, a floor flat, "number nine", a Welsh "Trem"
        ("were on the site, plot 12 Marlpit Lane, ok", "were on the site, [address], ok"),
        ("Flat 2, Harbour View, 17 Marine Terrace CT9 1XJ", "[address] [postcode]"),
        ("We live in the ground floor flat, 61 Victoria Road, my", "We live in the [address], my"),
        ("my address is number nine Saint Helens Road, second bell", "my address is [address], second bell"),
        (
            "We're at 4 Trem y Mor, off Mumbles Road, SA3 4DU.",
            "We're at [address], off Mumbles Road, [postcode].",
        ),
        ("we're in caravan 7, Riverside Park, near", "we're in [address], near"),
        ("the farm is Pen y Bryn, Llanidloes", "the farm is [address], Llanidloes"),
        ("we stay at 23 Holloway Head, Birmingham", "we stay at [address], Birmingham"),
        # self-corrections: the number first typed goes with the address, a fix with the phone or name
        ("im at 12 no 14 Oak Road", "im at [address]"),
        ("we live at 14, no sorry 16 Oak Road", "we live at [address]"),
        ("ring 07831 440 297 sorry 298, thanks", "ring [phone], thanks"),
        ("its Siobhan, sorry, Siobhán", "its [name], sorry, [name]"),
        ("i am called Dafydd, Dafydd Jones", "i am called [name]"),
        # names in new places: "my name" with no verb, "dw i", "sou a", "tôi là", a title skipped
        ("my name Hawre Ahmed, phone", "my name [name], phone"),
        ("Shwmae, Gwenllian dw i. Mae fy merch", "Shwmae, [name] dw i. Mae fy merch"),
        ("Olá, sou a Fátima. Sorry, English", "Olá, sou a [name]. Sorry, English"),
        ("Xin chào, tôi là Nguyễn Thị Hoa. My son", "Xin chào, tôi là [name]. My son"),
        ("My name is Fr Anthony Obi, parish priest", "My name is Fr [name], parish priest"),
        # "it's" with a full name, "btw", "here" in lower case, a family title
        ("signal is rubbish. its Rhodri Pryce, landline", "signal is rubbish. its [name], landline"),
        ("Hi this is Rivka Goldstein, my son", "Hi this is [name], my son"),
        ("Mam's phone. its Cerys btw", "Mam's phone. its [name] btw"),
        ("its maricel here from slough", "its [name] here from slough"),
        ("Hello love it's Nanna Glenys, phone", "Hello love it's Nanna [name], phone"),
        # an opening with an age and a role in the writer's language; a role or nickname in brackets
        ("Tran Van Long, 46, father. We live", "[name], 46, father. We live"),
        ("Boa tarde. João Pedro Carvalho, pai. My daughter", "Boa tarde. [name], pai. My daughter"),
        ("Thanks for your help. Balwinder Gill (father). Bye", "Thanks for your help. [name] (father). Bye"),
        ("hiya its chantelle (chantz) im 15", "hiya its [name] ([name]) im 15"),
        # pasted signatures, form labels, a device named after its owner
        (
            "Kind regards\n\nDaniel Ferreira-Hughes\nPastoral Manager | Key Stage 4\nT: 01603 774 120",
            "Kind regards\n\n[name]\nPastoral Manager | Key Stage 4\nT: [phone]",
        ),
        (
            "Sent from my iPhone\n\nAmara Nwachukwu-Bello\nYouth Worker",
            "Sent from my iPhone\n\n[name]\nYouth Worker",
        ),
        ("--\nMrs Claire Robson\nAttendance & Welfare Officer", "--\n[name]\nAttendance & Welfare Officer"),
        ("Regards\nJ. Smith\nHead of Year 9", "Regards\n[name]\nHead of Year 9"),
        ("Parent: Joanna Smith\nChild: Mia (Year 9)", "Parent: [name]\nChild: [name] (Year 9)"),
        ("it came up on airdrop from Tyler’s iPhone", "it came up on airdrop from [name]’s iPhone"),
        # other people: "my Ffion's 13", "Ella's school", "our kid's mate", "my big bruther", "man like"
        ("my Ffion's 13 and", "my [name]'s 13 and"),
        ("Ella's school said to use this", "[name]'s school said to use this"),
        ("Mum here. Carys's form tutor told us", "Mum here. [name]'s form tutor told us"),
        ("our kid's mate tyler is the one", "our kid's mate [name] is the one"),
        ("my big bruther ollie said", "my big bruther [name] said"),
        ("ting is man like jaylen been sayin", "ting is man like [name] been sayin"),
        (
            "ok so basically Ellie-May and Jess from our class",
            "ok so basically [name] and [name] from our class",
        ),
        ("the student, Nafisa Rahman (Y10), lives", "the student, [name] (Y10), lives"),
    ],
)
def test_round_5_wording_is_redacted(text, expected):
    """The classes of wording round 5's writer used that the redactor missed."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # letters typed for digits anywhere in a number; a number broken over lines
        ("call O7700 9OO l23 after 6", "call [phone] after 6"),
        ("whatsapp +44 77OO 9l0 456", "whatsapp [phone]"),
        ("home 0161 49O 7l62 pls", "home [phone] pls"),
        ("my number is 07700 900\n456 oops", "my number is [phone] oops"),
        ("it's 0 7 7 0 0\n9 0 0\n4 5 6 ok", "it's [phone] ok"),
        # an email spelt a character at a time before "at"
        ("email me m i a 0 9 at gmail dot com", "email me [email]"),
        # handles: spelt out with their dots, a number after the last spoken piece, name and year
        # with spaces, a gamertag in mixed case, an @ with a space, " . " as the dot
        ("his snap is j o s h . k 1 2 no caps", "his snap is [handle] no caps"),
        ("HER INSTA IS MOLLY DOT P 09 OK", "HER INSTA IS [handle] OK"),
        ("his sc is jordan k 2010 i think", "his sc is [handle] i think"),
        ("my fortnite is xX Dark Wolf Xx lol", "my fortnite is [handle] lol"),
        ("he was @ leeds_lad_99 on there", "he was [handle] on there"),
        ("my user is lily . rose . x on insta", "my user is [handle] on insta"),
        ("the gc admin is called k1ng.dav3 and", "the gc admin is called [handle] and"),
        (
            "she messaged as lil_bby_x and then as bby.x2 after",
            "she messaged as [handle] and then as [handle] after",
        ),
        ("im jay.m.x on insta and jaymx on tiktok", "im [handle] on insta and [handle] on tiktok"),
        # addresses: a town between address and postcode, a house name before a Welsh street, a
        # care home, an ordinal floor, a number said aloud after a cue, Welsh small words
        ("Mrs Khan, 9 Greenway, Luton LU2 7AB.", "[name], [address], Luton [postcode]."),
        ("post to Bryn Awel, Heol y Bont, Bala LL23 7AA", "post to [address], Bala [postcode]"),
        (
            "she's staying with her nan at Brookside Farm, Ffordd y Llan. Her",
            "she's staying with her nan at [address]. Her",
        ),
        ("send it to The Willows Care Home, 4 Park Road", "send it to [address]"),
        ("we're the 1st floor flat, 12 Bank Street", "we're the [address]"),
        ("i live at forty one mill lane, leeds", "i live at [address], leeds"),
        ("address: 5 Pen y Bryn, Bala LL23 7AA", "address: [address], Bala [postcode]"),
        # names: in a block of contact details, opening a message, "ask for", a title after "I am",
        # "it's me again", a dash after contact details, "I am the <role>, <Name>", a name on a
        # signature line with "|", whose email it is
        ("Details: Gzim Berisha, gzim.b@gmail.com, 4 Hale Road", "Details: [name], [email], [address]"),
        ("Aoife Brennan, 07700 900 222, we", "[name], [phone], we"),
        ("ring 07700 900 333 and ask for Tegwen", "ring [phone] and ask for [name]"),
        ("I am Sister Bernadette, a nun", "I am Sister [name], a nun"),
        ("its me again kacey 💖 forgot", "its me again [name] 💖 forgot"),
        ("Mob 07700 900 444 (me) - Parveen", "Mob [phone] (me) - [name]"),
        ("I AM THE GRANDFATHER, TOMASZ.", "I AM THE GRANDFATHER, [name]."),
        ("Tel: 01706 000 111 | Nasreen Bibi, Learning Mentor", "Tel: [phone] | [name], Learning Mentor"),
        ("Tafadzwa's number is 07700 900 555", "[name]'s number is [phone]"),
        ("CONTACT: MR & MRS OKAFOR, 3 HIGH STREET", "CONTACT: MR & [name], [address]"),
    ],
)
def test_round_6_wording_is_redacted(text, expected):
    """The classes of wording round 6's writer used that the redactor missed (new examples of
    each class, not round 6's own lines)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # handles: a Reddit user; a name in quotes after "name", "user", "gamertag"; a gamertag of
        # several words after an aside, or with no verb; a game's name with a small number
        ("it was posted by /u/leeds_lass_x last night", "it was posted by [handle] last night"),
        ("u/quietfox22 keeps messaging me", "[handle] keeps messaging me"),
        ("his psn name is “Kai Storm” i think", "his psn name is “[handle]” i think"),
        ("the user was 'velvet.rosie' on discord", "the user was '[handle]' on discord"),
        ("username: 'not ur boi' and he's older", "username: '[handle]' and he's older"),
        (
            "gamertag (capital letters) is Night Owl 303 and he",
            "gamertag (capital letters) is [handle] and he",
        ),
        ("he added me, gamertag soft tofu boy", "he added me, gamertag [handle]"),
        ("his in-game name is brickface 7 and he's rude", "his in-game name is [handle] and he's rude"),
        ("her display name is Moth Queen.", "her display name is [handle]."),
        ("user jamie.k.07 for pics", "user [handle] for pics"),
        ("xbox gt: Fizzy Comet 12", "xbox gt: [handle]"),
        # a phone number's groups joined by words
        ("text me on 07700 then 900 then 944 after school", "text me on [phone] after school"),
        # a whole number typed, then a number word that is no digit of it
        (
            "it rang from 07700 900 112 and 07700 900 113, two phones",
            "it rang from [phone] and [phone], two phones",
        ),
        # addresses: a numbered row of cottages, maybe before its lane; the house's number after
        # its street; a house that is "called" something; an abbreviated crescent or terrace
        ("we're at 2 Station Cottages, Mill Lane", "we're at [address]"),
        ("it's 14 Victoria Buildings near the market", "it's [address] near the market"),
        ("she lives on Orchard Close, number 7, with her mum", "she lives on [address], with her mum"),
        ("we live on Bryn Road no. 31", "we live on [address]"),
        ("he lives on Wren Close at number 6", "he lives on [address]"),
        ("our bungalow is called Sea Breeze, Coast Road", "our bungalow is called [address]"),
        ("the farm is called Hendre Fawr, up the valley", "the farm is called [address], up the valley"),
        ("i'm on Larch Cres, by the shop", "i'm on [address], by the shop"),
        ("we live on Chapel Tce", "we live on [address]"),
        # names: a sign-off with a town in brackets; thanks in Welsh; a hyphenated first name in
        # lower case; a first name that is also a word, greeted, then a pause
        ("Many thanks, Imran Siddiqui (Oldham)", "Many thanks, [name] (Oldham)"),
        ("that helped. Diolch, Rhiannon", "that helped. Diolch, [name]"),
        ("help its lacey-mae here", "help its [name] here"),
        ("hiya it's Grace (that's my real name), 13", "hiya it's [name] (that's my real name), 13"),
        # a rank or a family title stays out of the name
        ("a message from DC Fairweather said", "a message from DC [name] said"),
        ("he said he was Sergeant Okoro", "he said he was Sergeant [name]"),
        ("landline only. Grandad Terence", "landline only. Grandad [name]"),
    ],
)
def test_round_7_wording_is_redacted(text, expected):
    """The classes of wording round 7's writer used that the rules missed (new examples of each
    class, not round 7's own lines)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # handles: hyphens inside an underscored name; emoji inside a name; capitalised words, or
        # words joined by a small "x", after "gt"/"gamertag"; a gamertag with no verb before it;
        # "gamertag on xbox is '...'"
        ("ps name is Big-Kev_Gaming_ and he lied", "ps name is [handle] and he lied"),
        ("on tiktok she is 'peach_🍑_girl' now", "on tiktok she is '[handle]' now"),
        ("his snap name: ollie🐸22 keeps adding me", "his snap name: [handle] keeps adding me"),
        ("psn gt: Sleepy Otter x — that's him", "psn gt: [handle] — that's him"),
        ("my cousin's gamertag is R1CO x KING lol", "my cousin's gamertag is [handle] lol"),
        (
            "a guy with gamertag DarkMarek 2012 asked him for pics",
            "a guy with gamertag [handle] asked him for pics",
        ),
        ("her username on snap is 'Pixie Dust 77' btw", "her username on snap is '[handle]' btw"),
        # addresses: a home known by its name (a house, farm or site) with the road it is off or
        # on; "number N on <street>"; a flat's letter in capitals before its building and street
        ("we're at Bryn Awel, off the A487, near Aberaeron", "we're at [address], near Aberaeron"),
        ("its Maes Gwyn, off Heol Hir, in the village", "its [address], in the village"),
        ("the farm is Pen Rhos, on Feidr Fach", "the farm is [address]"),
        ("we're on pitch 9, Greenacres Park off Radway", "we're on [address]"),
        ("he lives at number 22 on Ashby Rd i think", "he lives at [address] i think"),
        ("we're staying at Lark Rise Farm off the A30 this week", "we're staying at [address] this week"),
        # a Welsh street after a house number with a capital letter, or typed in lower case
        ("we live at 5C Heol Dewi, near the chapel", "we live at [address], near the chapel"),
        ("our address is 41 ffordd y parc, Bethesda", "our address is [address], Bethesda"),
        ("Flat 2C, Elm Court, Dover Road, CT1 3AB", "[address], [postcode]"),
        # a titled person's name with an initial before their address stays a name
        (
            "post it to Mrs K. O'Hara, 4 Fenton Street, Stoke ST4 2BB",
            "post it to [name], [address], Stoke [postcode]",
        ),
        # names: "me names"; a first name that is also a word, then a comma and an age; a word
        # said to be the writer's name; a dash and a kiss; two first names in lower case; a
        # lower-case title, name and surname
        ("me names bethany, 13", "me names [name], 13"),
        ("im summer, 15 and i dont know what to do", "im [name], 15 and i dont know what to do"),
        (
            "this is star (my actual name lol) and someone has my pic",
            "this is [name] (my actual name lol) and someone has my pic",
        ),
        ("im rain (yes rain is my real name)", "im [name] (yes [name] is my real name)"),
        ("ok thanks for that - kez x", "ok thanks for that - [name] x"),
        ("hi im mary jane and i need help", "hi im [name] and i need help"),
        ("it was mr liam walsh from pe", "it was [name] from pe"),
    ],
)
def test_round_8_and_9_wording_is_redacted(text, expected):
    """The classes of wording rounds 8 and 9 showed that the rules missed (new examples of each
    class, not the rounds' own lines)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("my xbox is Broken Now so he messaged me", "my xbox is Broken Now so he messaged me"),
        ("im sorry, 14 year olds do this all the time", "im sorry, 14 year olds do this all the time"),
        ("it will be ok, 14 days until the holidays", "it will be ok, 14 days until the holidays"),
        ("we live at 9 Quinney Crescent off Princess Road", "we live at [address] off Princess Road"),
        ("we're in Bangor, off the A55", "we're in Bangor, off the A55"),
        # a school's name: a first name before "Academy", Welsh street words after "Ysgol"
        ("our school, Faith Academy, told us to write", "our school, Faith Academy, told us to write"),
        ("she is in year 9 at Ysgol Bro Gwaun", "she is in year 9 at Ysgol Bro Gwaun"),
        ("we're at Alton Towers today", "we're at Alton Towers today"),
        ("i got 3 maes points lol", "i got 3 maes points lol"),
    ],
)
def test_round_8_and_9_lookalikes_are_left_alone(text, expected):
    """What only looks like those classes: a broken console, a word and an age, a street named
    after a house's number and street to say where it is, a town off a road, schools, a day out."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a home on a site by its number, then the site's name (a lodge, cabin, bay, berth, pitch);
        # "a caravan", "a static" before it say what the home is and stay
        (
            "we're staying in cabin 6, Pinewood Holiday Village this week",
            "we're staying in [address] this week",
        ),
        (
            "we live on pitch 11, Meadow Bank Travellers Site near Ashford",
            "we live on [address] near Ashford",
        ),
        ("our boat is at berth 22, Castle Marina, NG7 1TN", "our boat is at [address], [postcode]"),
        ("mum said we live in a static, bay 3, Hollins Park", "mum said we live in a static, [address]"),
        # the part of a building that is the home: "Rear of", "rear of" after a flat
        ("post for me goes to Rear of 9 Market Place, Bourne", "post for me goes to [address], Bourne"),
        ("send it to flat 2, rear of 15 Bridge Street please", "send it to [address] please"),
        # a house known by its name in lower case, and its street, after "live at"
        (
            "we live at rose bank farm hollow lane and he drives past",
            "we live at [address] and he drives past",
        ),
        ("she lives at ivy cottage with her mum", "she lives at [address] with her mum"),
        # dictated: a flat and a house number said aloud, with "comma", a building between them;
        # a number said aloud before a Welsh street in lower case, "fourty" as people type it
        ("my address is flat seven comma thirty three Albion Street", "my address is [address]"),
        ("address is flat four Carlton House twenty two Carlton Road Leeds", "address is [address] Leeds"),
        (
            "i live at sixty one heol y nant and the lad is next door",
            "i live at [address] and the lad is next door",
        ),
        ("i live at fourty two Oak Avenue", "i live at [address]"),
        # in capitals: a house's name and the street after it; a cue word is no house's name
        ("WE ARE AT 3 THE MALTINGS, CHURCH ROAD", "WE ARE AT [address]"),
        ("Address's Penhallow, Tregony Hill, Truro TR2 5RQ", "Address's [address], Truro [postcode]"),
        # handles: a full stop said to be the username's own; "gaming tag"; words joined by hyphens
        (
            "the username is milo.jx. with a full stop on the end",
            "the username is [handle] with a full stop on the end",
        ),
        (
            "her insta is rosie.b. (the full stop is part of it) and she",
            "her insta is [handle] (the full stop is part of it) and she",
        ),
        (
            "my lads gaming tag is Storm underscore Fox underscore 2011 and",
            "my lads gaming tag is [handle] and",
        ),
        ("the user was night-owl-77 on roblox", "the user was [handle] on roblox"),
        # names: a first name and surname in lower case opening a message with an age; "my name
        # is" in north Welsh and "I am" in Czech; a role before "here" is not the name after it
        ("jodie fletcher, 14, wigan. he has my pics", "[name], 14, wigan. he has my pics"),
        ("helo, fy enw i ydi Elis ac dwi'n 13", "helo, fy enw i ydi [name] ac dwi'n 13"),
        ("ahoj, jsem Radek. im 13", "ahoj, jsem [name]. im 13"),
        ("Foster carer here, Sam. our lad is 14", "Foster carer here, [name]. our lad is 14"),
        # an everyday word in capitals after a name is no surname
        ("MY GRANDDAUGHTER ELLA SHE IS 12", "MY GRANDDAUGHTER [name] SHE IS 12"),
    ],
)
def test_round_10_wording_is_redacted(text, expected):
    """The classes of wording round 10 showed that the rules missed (new examples of each class,
    not the round's own lines)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        # a town alone, a school, a school year, an age, a street with no house, a bay in a car park
        "we live in Maidstone",
        "she goes to Oakwood Park School, year 9",
        "my boy is 14 and in year 9",
        "the shop on high street sells vapes",
        "bay 4 in the car park at the retail park",
        "he parked at the back of the shop on high street",
        # whose house, or which, is not a house's name; a flat with no address after it
        "we live at my nans house",
        "i stay at kyles house on fridays",
        "i live at the farm with my dad",
        "i was in flat two for ages",
        # capitals with no address; "in common", a park, a pier, a team, a brand; a county after a town
        "WE WALKED TO THE PARK AFTER SCHOOL",
        "we have 2 things in common",
        "we played on Clapham Common yesterday",
        "Skegness Pier was packed on saturday",
        "a Dove advert and a Hope bag",
        "Boston lincs is where we live",
        # a country's name, a reference of zeros, a role before "here", a greeting, "up-to-date"
        "we moved here from Slovakia last year",
        "got a letter with ref 0000 4411 2290 on it",
        "Stepmum here. my stepson is 13",
        "Namaste, this is my first time writing",
        "his username is up-to-date now",
    ],
)
def test_round_10_lookalikes_are_left_alone(text):
    """What only looks like those classes (docs/privacy.md: a street with no house is no address,
    a town alone is none)."""
    assert redact(text, tagger=False)[0] == text


@pytest.mark.parametrize(
    "text, expected",
    [
        # addresses: street types shortened as people type them (Grv, Drv, Pk, Crt)
        ("we moved to 9 Larch Grv last month", "we moved to [address] last month"),
        ("he is at 31 beech drv most nights", "he is at [address] most nights"),
        ("send it to 6 Alder Pk please", "send it to [address] please"),
        # a numbered Welsh street whose type is no English word, in lower case, with no cue, and
        # a lower-case town before the postcode; "Cwrt" (court)
        ("the lads at 8 ffordd y capel keep filming us", "the lads at [address] keep filming us"),
        ("its 3 heol y bryn, aberaeron sa46 0ab", "its [address], aberaeron [postcode]"),
        ("nain lives at 2 Cwrt y Wern now", "nain lives at [address] now"),
        # a flat and its building before a Welsh street
        (
            "the address is Flat 5, Bryn Awel, 22 Heol Las",
            "the address is [address]",
        ),
        # two houses' numbers for one street; a saint's name with its full stop
        ("they are at 6 or 8 Cedar Ave", "they are at [address]"),
        ("my cousins live at 10 and 12 Moss Rd", "my cousins live at [address]"),
        ("she stays at 4 St. Anne's Cl", "she stays at [address]"),
        # a room or a flat "at" a building's number; a flat, its building in lower case, its street
        ("he rents rm 2, 51 orchard st", "he rents [address]"),
        ("flat 3 at 60-62 Corn St, over the barbers", "[address], over the barbers"),
        ("its flat 9 kestrel hse, upper mill rd", "its [address]"),
        # "live" with no "at" before a house's number; "address" misspelt
        ("we live 7a cefn rd wrexham", "we live [address] wrexham"),
        ("my addres is 14 heol dewi", "my addres is [address]"),
        # names: the writer's own name that their email or username starts with
        ("its brodie, email brodie.k@gmail.com", "its [name], email [email]"),
        ("this is marnie my tiktok is marnie.x09", "this is [name] my tiktok is [handle]"),
        # a name spelt out a letter at a time after it
        ("i'm Nkechi, N K E C H I, 14", "i'm [name], 14"),
        # thanks in text speak before a sign-off
        ("ring me on 07700 900 218 thnx, Tobi", "ring me on [phone] thnx, [name]"),
        # the writer's role, "here", then the name in brackets; "this is" and a name opening a message
        ("Dad here (Kwame Mensah). what do we do now", "Dad here ([name]). what do we do now"),
        ("This is Oluwatobi, can someone call me back", "This is [name], can someone call me back"),
        # a role as it is typed in brackets after a name
        ("call 07700 900 663 and ask for Bev (nanny)", "call [phone] and ask for [name] (nanny)"),
        # a username said in words with its underscore at the end
        ("his snap is dan dot ox underscore", "his snap is [handle]"),
        # a minister's title stays out of the name, as a rank does
        ("Tel: 0113 496 0118 | Imam Qureshi", "Tel: [phone] | Imam [name]"),
    ],
)
def test_round_11_wording_is_redacted(text, expected):
    """The classes of wording round 11 showed that the rules missed (new examples of each class,
    not the round's own lines)."""
    assert redact(text, tagger=False)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        # plural flats and blocks; Welsh types that are also English words stay without a cue
        "we live in the flats near the park, the blocks are grim",
        "he has 2 bro mates and 3 maes points",
        # numbers joined by "or"/"and" with no street after them
        "it was 2 or 3 lads, and 4 and 5 year olds saw",
        # "live" with a district, not a house's number, before an address or postcode
        "we live Cwmbran way, nowhere near him",
        "i live in Walthamstow, E17 5QT",
        # a street named after a numbered address to say where it is (LANDMARK), and a word
        # before a postcode that is no town
        "we're at 12 Lark Rise off Church Road, CV3 1AB",
        "my son 15, postcode ls6 2aa",
        # a sign-off word inside another word; a name that is also what the message is about
        "the pics were taken at the station",
        "its gaming, he added me on gaming_pro77",
        # a school named after a bishop or cardinal; a town in brackets after a role and "here"
        "she goes to Cardinal Heenan and he goes to Bishop Milner",
        "Social worker here (Rotherham). a girl on my caseload",
        # how a username is said is no part of it
        "the username is spelt as rory underscore w",
        # a contact word before a title and name is no part of the name
        "Contact Dr Shah at the surgery",
    ],
)
def test_round_11_lookalikes_are_left_alone(text):
    """What only looks like those classes; a name's or username's own words are still found where
    they are one ("rory underscore w", "Dr Shah")."""
    redacted = redact(text, tagger=False)[0]
    if "rory" in text:
        assert redacted == "the username is spelt as [handle]"
    elif "Dr Shah" in text:
        assert redacted == "Contact [name] at the surgery"
    elif "12 Lark Rise" in text:
        assert redacted == "we're at [address] off Church Road, [postcode]"
    elif "Walthamstow" in text:
        assert redacted == "i live in Walthamstow, [postcode]"
    elif "ls6 2aa" in text:
        assert redacted == "my son 15, postcode [postcode]"
    elif "gaming_pro77" in text:
        assert redacted == "its gaming, he added me on [handle]"
    else:
        assert redacted == text


@pytest.mark.parametrize(
    "text",
    [
        # public helplines and short codes
        "call Childline on 0800 1111 or Papyrus on 0800 068 4141",
        "Stop It Now 0808 1000 900, the NSPCC 0808 800 5000, or the police on 101",
        "Samaritans are on 116 123 and Shout is 85258, 999 if its an emergency",
        "The Revenge Porn Helpline is 0345 6000 459",
        # numbers that are not phone numbers
        "it happened at 11:45 on 03/04/2024 and cost £1,500",
        "crime ref 13/456789/24 and order number 204-7788123",
        "my snap score is 12345678",
        "he wants 0.05 bitcoin, about £2,000",
        # ages and school years
        "im 14 and in year 9, he is 19",
        "My 13 year old is in Yr 8",
        "I'm in Year 13 so I'm 18",
        # everyday words that are also names, and places
        "Mark the date, that's when it started",
        "Will they tell my school?",
        "May half term is when it began",
        "Grace period? he said 24 hours",
        "the M6 was closed so we were late",
        "I'm Muslim and I'm scared",
        "i'm gonna tell my mum",
        "my snap is private now",
        "he got there on the dot at 5 and then made a dash for it, his snap is private",
        "my snap score is two thousand. I use my iPhone for WhatsApp and TikTok",
        "no one two three of us went, in 2019 2020 2021",
        "he posted it in the discord server and pinged @everyone",
        "he said he'd send it to my school, St Mary's in Leeds",
        "cheers mate, thanks love",
        "i live on my own, on a busy road",
        # round 6's classes, where they must not reach: prose around "at", "@", " . ", "on snap"
        "we live at one end of the road",
        "he asked for nudes on snap and pics on insta",
        "meet me @ the park after",
        "ok . so he said . bye",
        "I am Greek Cypriot and my mum is Polish",
        "the O2 arena in 2O19",
        "I MISS YOU SO MUCH",
        # an address's leading words, days, platforms, places and employers are not names
        "the address is what they asked for",
        "he wants it by Friday or Sunday",
        "there's a site called OnlyFans he keeps mentioning",
        "do you cover schools across Chester and Crewe?",
        "my dad works for Morgan and it's a big firm",
        "from Leeds",
        # states after "it's" and "I'm", ages, and sign-off words are not names
        "its gross. i didnt want it",
        "hiya, im fine. just worried",
        "im bout 15 and he is 19",
        "its blackmail. what do i do",
        "Helo, im confused.",
        "my mate said to message here",
        "Thank you. Bye",
        "Diolch yn fawr. Hwyl",
        "Dear Sir. Please advise.",
        "Update - he messaged again",
        "I am writing about my son. Thankyou",
        "hi its awkward, im 14",
        "its kids. year 8s",
        "im legit 15",
        "Will my name be on it? What's my name got to do with it",
        "he sent it at 9 am Tuesday, am scared",
        "his snap is well-known",
        "he is 15-16 years old, it was 2-3 weeks ago",
        # places that are also first names, and streets that are not where someone lives
        "we're from Carlisle",
        "Is Devon and Cornwall Police the right force? I need it for my Duke of Edinburgh",
        "the team plays in Small Heath and my mates from Caia Park",
        "I run a takeaway on Narborough Road",
        "the mosque on Thornton Road",
        "We're from Bethnal Green, there's 6 of us",
        # a correction that is no number, a short code after one, a list of numbers
        "its 07... no wait, dont ring. no one answers it",
        "scores were 0, 12, 15, 20, 33, 44",
        "a 1 2 3 b c and it was fine",
        # short links, greetings, titles, school years, family titles, roles, places, job titles
        "he sent a link, bit.ly something, on his account",
        "Olá, Sorry to bother you",
        "Ma'am, is that for the UK too?",
        "im grade 9 sorry i mean year 9",
        "its quiet here, nobody is up",
        "my Cousin is 15 and my Stepson is 12",
        "Regards\nOxford Academy",
        "Kind regards\n\nThe Safeguarding Team",
        "Will my name be on it? my name And address?",
        "link: website(UNKNOWN) and VARCHAR(16) and pool(20)",
        # places are no one: a town opening a message or before "here", one after a role and a
        # comma, a place of two words, a town in brackets; holidays; a job on its own line; a
        # plea after "call me"; a group chat's or a server's name
        "Wolverhampton here, is this the right chat?",
        "Pontypridd - mum here",
        "Youth worker, Swindon team. Can you help?",
        "his school is in Ebbw Vale and hers in Ashton-under-Lyne",
        "we moved near Thornton Heath in the summer",
        "we go to my nan's at Christmas and Easter",
        "please ring the office. Receptionist.",
        "call me pls i need help",
        "a group chat called 'year 8 rankings' has it",
        "the server was named 'free skins 2025'",
        "his username is too long to remember",
        "my gamertag got hacked last week",
        "the user was blocked",
        "we won 2 then 3 then 4 games",
    ],
)
def test_what_is_not_personal_data_is_left_alone(text):
    assert redact(text) == (text, ())


def test_the_kinds_found_are_named_in_order():
    text = "im Ellie, 07412 345678, ellie@example.com, @ellie.x, 4 Oak Road, LS6 2AB"
    assert redact(text) == (
        "im [name], [phone], [email], [handle], [address], [postcode]",
        ("email", "handle", "phone", "postcode", "address", "name"),
    )


def test_redacting_twice_changes_nothing():
    text = "my name is Chloe, text 07412 345678 or chloe.b@gmail.com, we're at 3 Fern Close PE1 4RT"
    once = redact(text)[0]
    assert redact(once) == (once, ())


@pytest.mark.parametrize("path", sorted(SETS_DIR.glob("*.jsonl")), ids=lambda p: p.name)
def test_every_marked_set_meets_the_targets(path):
    """Recall of 98% for each kind and at most 2% of ordinary words redacted (the privacy issue);
    `make unit` prints each set's figures (python -m privacy.measure)."""
    result = score(load(path), redacted_regions)
    assert not result.failures(), report(
        path.name, result, ("phone", "email", "postcode", "address", "handle", "name")
    )


def test_the_dev_set_is_at_least_200_marked_messages():
    examples = load(SETS_DIR / "redaction_dev.jsonl")
    assert len(examples) >= 200 and all({"text", "spans"} <= set(e) for e in examples)


def test_a_message_that_cannot_be_redacted_is_stored_withheld(monkeypatch):
    from privacy import events

    def broken(text):
        raise RuntimeError("a bug")

    monkeypatch.setattr(events, "redact", broken)
    events._redacted.cache_clear()
    stored = events.redact_event(user_event("my number is 07412 345678", at=2000.0))
    events._redacted.cache_clear()
    assert stored["text"] == stored["parse_data"]["text"] == events.WITHHELD


def test_a_miss_and_a_wrongly_redacted_word_are_counted():
    examples = [{"text": "call 07412 345678 now Mark", "spans": [{"kind": "phone", "text": "07412 345678"}]}]
    nothing = score(examples, lambda text: [])
    assert (nothing.found["phone"], nothing.total["phone"], nothing.ordinary_redacted) == (0, 1, 0)
    everything = score(examples, lambda text: [(0, len(text))])
    assert everything.found["phone"] == 1
    assert (everything.ordinary_redacted, everything.ordinary) == (3, 3)  # call, now, Mark
    assert everything.failures() == ["ordinary words redacted 100.00% > 2%"]


def test_a_title_beside_a_name_is_not_an_ordinary_word_redacted():
    examples = [{"text": "ask Mrs Begum", "spans": [{"kind": "name", "text": "Begum"}]}]
    result = score(examples, redacted_regions)
    assert (result.found["name"], result.ordinary_redacted, result.ordinary) == (1, 0, 2)


# --- what is stored ----------------------------------------------------------------------------


def user_event(text: str, at: float = 1000.0) -> dict:
    return {"event": "user", "timestamp": at, "text": text, "parse_data": {"text": text, "entities": []}}


def test_a_user_message_is_stored_redacted_in_its_text_and_parse_data():
    stored = redact_event(user_event("text me on 07412 345678"))
    assert stored["text"] == stored["parse_data"]["text"] == "text me on [phone]"


def test_a_staff_message_is_redacted_and_the_bots_own_are_kept():
    staff = {
        "event": "bot",
        "text": "Hi Chloe, is 07412 345678 still your number?",
        "metadata": {"from_person": True},
    }
    assert redact_event(staff)["text"] == "Hi [name], is [phone] still your number?"
    bot = {"event": "bot", "text": "Childline is free, any time: 0800 1111.", "metadata": {}}
    assert redact_event(bot) is bot


class Message:
    """A Rasa event's fields, as HeldOriginals reads them."""

    def __init__(self, data):
        self.type_name, self.timestamp, self.text = data["event"], data["timestamp"], data["text"]
        self.parse_data = dict(data.get("parse_data") or {})


class Tracker:
    def __init__(self, sender_id, events):
        self.sender_id, self.events = sender_id, [Message(e) for e in events]


def test_originals_are_given_back_for_the_session_and_then_forgotten():
    held = HeldOriginals(hold_seconds=60)
    stored = held.for_storage("c1", [user_event("im Chloe", at=1000.0)])
    assert stored[0]["text"] == "im [name]"
    tracker = Tracker("c1", stored)
    held.restore(tracker)
    assert tracker.events[0].text == tracker.events[0].parse_data["text"] == "im Chloe"
    assert [o["text"] for o in held.originals("c1")] == ["im Chloe"]
    held.for_storage("c2", [user_event("my number is 07412 345678", at=1061.0)])  # a minute on
    assert held.originals("c1") == []
    held.for_storage("c2", [{"event": "session_started", "timestamp": 1062.0}])
    assert held.originals("c2") == []


def test_log_lines_are_redacted(caplog):
    redact_logs()
    with caplog.at_level(logging.INFO):
        logging.getLogger("rasa.core.processor").info(
            "Received user message '%s'", "my number is 07412 345678"
        )
    assert "07412" not in caplog.text and "[phone]" in caplog.text


# --- a postcode is never an age -----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "our address is flat 3, 45 high st b15 2tt can someone come after 6",
        "i live in M14 is there a police station near me",
        "postcode b13 9aa im scared",
        "M14",
        "im in S13 lol",
        "im at 14 Elm Road",
        "im at number 13 church lane",
        "he lives in M20 and im in M14",
        "we are at 15 Newton Road, TS4 2PJ",
        "forgot my postcode, LL57 2 DG. my nain will be in",
        "my mum said to put our postcode in, TR18  4DX",
        "Post code S A 1 8 E N please ring me",
        "im at 12 no 14 Oak Road, plot 12 Marlpit Lane",
    ],
)
def test_the_safeguarding_screen_never_reads_a_postcode_or_house_number_as_an_age(text):
    from safeguarding import screen

    facts = screen(text)
    ages = facts.self_ages + facts.child_ages + facts.other_ages + facts.setting_ages + facts.held_ages
    assert ages == [] and not facts.bare_age and facts.age_gap is None


def test_the_services_own_setting_names_in_log_lines_are_not_handles():
    text = "add it to CHAT_TRUSTED_PROXIES, or raise TRACKER_CACHE_MAX_EVENTS"
    assert redact(text)[0] == text
    assert redact("my snap is kingdavo_22")[0] == "my snap is [handle]"


def test_the_services_own_names_in_log_lines_and_typed_intents_are_left_alone():
    line = "could not run action_escalate for reasons coercion_or_blackmail, adult_involved"
    assert redact(line)[0] == line
    assert redact('/request_human{"concern":"threat"}')[0] == '/request_human{"concern":"threat"}'


def test_operators_log_lines_keep_the_action_the_reasons_and_the_ids():
    # the lines an operator reads when a part fails: which action, which case, which reasons
    from privacy.logs import redact_line

    lines = [
        "could not run action_escalate for conversation down-871c263f (RasaException: Failed to "
        "execute custom action 'action_escalate'. Couldn't connect to the server at "
        "'http://127.0.0.1:60051/webhook.): the person gets the safety reply instead",
        "CASE NOT SAVED: case aac12741a6e0 for conversation frozen-1a2b3c4d (reasons: "
        "coercion_or_blackmail, exploitation_or_profit, adult_involved) could not be written; it is held "
        "in the outbox (/srv/outbox/20261201T203715388275-aac12741a6e0.json)",
    ]
    for line in lines:
        assert redact_line(line)[0] == line
    said = "a log quoting a message: my snap is kingdavo_22, ring 07700 900123, case aac12741a6e0"
    assert (
        redact_line(said)[0]
        == "a log quoting a message: my snap is [handle], ring [phone], case aac12741a6e0"
    )
