"""Word lists that mark an attribution: reporting verbs, cue nouns, and the nouns and name words that type a source."""
from __future__ import annotations



#: Columns of the table returned by :func:`extract_citations`.
CITATION_COLUMNS = [
    "report_id", "source", "source_canonical", "source_type", "cue", "via",
    "sentence", "start_char", "end_char", "sent_start", "sent_end",
]

# --- cue lexicon -----------------------------------------------------------
#: Verbs that report speech or writing: a subject of one of these is a source.
SPEECH_VERBS = frozenset("""
say tell report reveal state show find ask agree claim assert announce confirm deny allege declare disclose contend insist
argue write tweet post explain warn accuse acknowledge admit testify maintain stress emphasize emphasise
note add suggest indicate predict estimate comment reply respond recount recall conclude proclaim affirm
reiterate repeat remark complain charge boast concede observe mention cite quote propose describe
point call name date refer rule publish brief inform signal hint caution lament praise criticize
criticise condemn denounce urge demand vow promise pledge threaten believe think expect fear hope doubt
""".split())
#: Cue verbs that only report a statement with a clausal complement or quote ("warned that", not "warned Haftar").
NEEDS_CLAUSE = frozenset("""
warn maintain show find ask agree believe think expect fear hope doubt urge demand vow promise pledge threaten signal hint caution
lament praise criticize criticise condemn denounce inform brief charge boast complain explain indicate
suggest predict conclude observe remark recall mention
""".split())
#: Cue verbs that need a particle or a particular complement, with what satisfies them.
NEEDS_PARTICLE = {
    "point": {"out", "to", "that"},
    "call": {"on", "for", "oprd"},
    "rule": {"out"},
    "refer": {"to"},
    "publish": {"dobj_doc"},
    "name": {"agent", "as"},
    "date": {"dobj"},
    "describe": {"as", "ccomp"},
    "quote": {"dobj", "as"},
    "cite": {"dobj"},
}
#: Verbs through which an outlet relays another source ("which Y translates", "Y, quoting X").
RELAY_VERBS = frozenset("translate quote cite publish carry relay reprint run republish report".split())
#: Nouns that carry a statement ("amid reports that ...", "his claim that ...").
CUE_NOUNS = frozenset("report claim allegation accusation statement assertion rumour rumor".split())

# --- source lexicon ---------------------------------------------------------
MEDIA_NOUNS = frozenset("""
website site newspaper paper daily weekly magazine agency channel network broadcaster outlet television tv
radio station blog publication news service portal tabloid journal newsletter gazette
""".split())
DOCUMENT_NOUNS = frozenset("""
report document figure data statistic study survey leak cable memo record poll analysis assessment
statement communique communiqué letter footage video recording transcript account article story
investigation dossier file audit estimate tweet message post release poll survey
contract invoice email e-mail manifest filing indictment complaint lawsuit ruling verdict minutes transcript
""".split())
#: Further nouns for people and groups that can speak ("critics said", "the family said"), beside the lexicons.
SPEAKER_NOUNS = frozenset("""
critic supporter opponent voter family crowd staff team public audience community panel jury board commission
campaign side camp delegation negotiator party country nation city town village company people everyone everybody
anyone nobody somebody participant victim protester protestor candidate nominee speechwriter surrogate lady
gentleman boss mogul host advocate architect chorus majority minority bank museum agency firm ex guy kid child
colleague friend neighbour neighbor spouse wife husband son daughter mother father brother sister parent
ad advertisement commercial spot clip slide submission doc brief review editorial program programme book memoir
column op-ed piece speech interview remarks testimony note notes website page campaign fund medium media
average research section rival executive liberal conservative fan
""".split())
ANONYMOUS_NOUNS = frozenset("""
source insider diplomat witness observer expert analyst journalist reporter correspondent resident people
person activist aide ally adviser advisor member someone individual informant whistleblower official
officer employee staffer operative agent person man woman acquaintance friend relative
""".split())
OFFICIAL_NOUNS = frozenset("""
government ministry minister army military force forces police authority authorities administration
cabinet presidency president premier parliament spokesman spokesperson spokeswoman envoy ambassador
embassy secretary commander general governor mayor senator congressman congresswoman lawmaker chief
department office council intelligence king prince emir sheikh head leader chairman deputy representative
prosecutor judge court state regime junta command headquarters navy airforce delegation
""".split())
ORGANIZATION_NOUNS = frozenset("""
organization organisation group ngo charity watchdog committee institute foundation association union
coalition campaign party company firm corporation think-tank thinktank university
""".split())
#: Titles that make a named person an official when attached to the name.
OFFICIAL_TITLES = frozenset("""
minister president premier spokesman spokesperson spokeswoman envoy ambassador secretary commander general
governor mayor senator congressman congresswoman lawmaker chief head leader chairman deputy representative
prosecutor king prince emir sheikh marshal colonel admiral diplomat director attorney
""".split())
MEDIA_NAME_WORDS = frozenset("""
news times post journal herald tribune gazette tv radio press agency channel daily magazine network
broadcasting observer review monitor telegraph guardian express chronicle
""".split())
OFFICIAL_NAME_WORDS = frozenset("""
ministry government army forces force department council parliament senate congress office police
military presidency embassy command navy cabinet administration intelligence
""".split())
QUANTIFIERS = frozenset("one some many several each all none most few two three both any".split())
RELATIVE_PRONOUNS = frozenset("who which that whom".split())
PERSONAL_PRONOUNS = frozenset("he she him her".split())
PLURAL_PRONOUNS = frozenset("they them".split())
UNNAMING_WORDS = frozenset("unnamed unidentified anonymous unspecified certain".split())
SUBJECT_DEPS = ("nsubj", "nsubjpass", "csubj")
