/**
 * Per pair (named by its first member), its frequent contexts (the word before it), in units
 * of two teams of about equal weight. A key gives a unit's two teams opposite preferences, so
 * the frequent contexts' pulls on a pair's word counts cancel for every key, not only on
 * average over keys (CATER balances its rules for the same reason).
 * Measured on dev-v1 responses by bench/provenance/weights.ts.
 */
export const COUPLE_TABLE = `
also can / is are ; it / could will ; and / it's ; ^ / should ; may / but he ; we / i ; would / has ; they / she ; while / have might ; must / it’s ; was / to were ; am / i’m ; you / this ; b / people ; code / app data ; i'm / system ; that / which ; chapter / function ; i’d / team ; environment / there’s ; we've / x ; a / airline ; company / friends ; gases / i've ; needs / probably ; script / speaker
often is / are and they he can how ; as / films ; language / that ; more / were ; people / was
usually is / are that it ; and / they ; i / will ; but / not ; would / areas this ; which / you ; can / cluster ; error / it’s
quickly to / more and ; as / they can ; she / be a ; data / he ; it / them ; act / problems
approximately is / of take be
completely be / is not ; are / to
especially be / is are ; not / white ^ ; am / people was
mainly is / are
perhaps ^ / or and ; but / so well it ; that / then
certainly ^ / can is it's are it’s should would could
significantly can / is
therefore ^ / is x and sqrt frac cdot of n b circ will a by c triangle y are can d has pmod she degrees ge have length m time times to was
thus ^ / x and b is sqrt c frac y cdot r k n z are circ d by le of pmatrix t align be numbers p right s
immediately was / be can
eventually ^ / and was ; would / can ; which / will ; but / is that
generally is / are more ; but / it's
largely is / was
precisely what / is ; say / are make ; know / to ; has / not ; of / sure
sometimes and / can ; are / is ; stirring / that ; do / you
regularly them / ^ exercise ; exercising / updated
similarly ^ / a
truly is / a am ; it / something ; to / you
correctly is / to functioning ; not / working ; and / are ; function / be questions
easily be / can ; to / and more ; is / not
increasingly becoming / becomes are become
recently ^ / i ; you / has
greatly vary / can to
extremely an / is
commonly is / are most a ; vary / more been ; and / not also
clearly ^ / is to
slightly a / be is
vast the / is
crucial is / a it's
essential is / it's the ; are / civil be more
appropriate the / not most be ; is / more ; and / are ; with / it using ; ^ / use
additional an / the any ; some / for of ; ^ / are ; include / offer add ; provide / with ; and / need ; these / adding few ; have / make ; or / providing ; require / several ; that / without
helpful be / is and provide are particularly more it ; providing / not or ; some / very
beneficial be / mutually is
harmful be / or
concise and / more a
weird a / many of the
amazing the / an ; something / his this
tasty a / and ; golden / your
polite and / be
smart a / and the ; ^ / as
famous the / a most ; is / was of
ongoing and / is
adequate provide / be
modern a / of ; in / and ; more / the ; most / clean how ; our / sleek
previous the / my from his your its
difficult is / be a ; more / it ; it's / and very ; are / it’s really ; increasingly / in the ; also / with
excellent an / has ^ its
intricate and / the to ; its / with
various in / the on ; and / a ; for / with ; of / from ; through / to perform ; more / by using ; across / are ; original / about as
thorough a / more and conduct for of
vivid a / so
peaceful a / and the
reliable and / a more ; are / flexible
flexible and / more be
affordable and / more
expensive more / and less be computationally to most
pleasant and / more
eager am / is
honest be / and being
brave a / of
dangerous be / and more the
notable any / most
remarkable something / the
benefits the / and potential ^ several health ; many / main ; of / its ; economic / environmental ; treaty / competitive key ; maximize / tax ; their / these
drawbacks and / potential
goals and / your ; the / their ; scored / specific of ; business / achievable sales ; these / career his ; our / setting ; goals / good ; policy / realistic ; strategic / its measurable ; design / learning ; set / those
physician a / your the speech
lawyer the / contract
movies anderson's / of ; horror / the watching ; and / these ; view / watched
happiness and / of the with
emotions or / and have ; your / her their the ; thoughts / of experience ; cultivating / feel ; strong / these ; complex / human ; personal / with ; expressing / his ; my / simulate
abilities and / my their unique ; his / the ; your / its new ; automation / cognitive
ability the / my their ^ its your and his
experts of / industry some
residents the / its human
tips some / these few and the ; of / ^ ; name / provide ; in / specific ; more / additional two
consequences the / unintended negative potential severe
aspects various / all other ; positive / different important
car the / your electric his reduce for each class ^ booking new of in their
cars electric / of cars ; gasoline / the ; toy / are driving ; serve / police new
improvement for / process one the
improvements and / to
helped has / have which ; that / and
helps this / that it and also which
helping and / for of ; in / by
tried you / he have i ; she / and
trying are / you’re you ; and / you're ; ^ / just ; was / were ; when / always is ; been / by i’m ; before / of ; or / be on ; recommend / not than
bought he / she has they also be ; customers / have ; each / and i ; recently / school
obtained be / is
obtain to / we can ^ and
obtaining of / for
built is / was be were ; not / being have
finished has / be have ; is / a the ; are / he ; b / been ; d / was
completing ^ / by for
allowed not / has are ; have / is
allows that / this it ; which / and also game ; mrunit / law
allow to / will ; would / that ; and / ^ should ; can / they ; potentially / which ; could / instructions
allowing by / time
needed as / are the ; is / if be ; she / not when ; they / time ; and / he ; resources / were ; materials / still ; amount / energy ; tickets / water ; effort / skills
reduced ^ / and be ; to / is ; was / are in
reduces and / that this
reducing and / by ; in / of for ; ^ / is ; as / include
picked the / he ; be / randomly they ; are / been ; is / being
examine will / to ^
noticed the / have
noticing and / by
mentioned i / you have
improve to / and can help you also students ^ greatly levels significantly will
improved ^ / and for be an ; to / has with ; as / benefits
improving and / for ; on / by as
modify can / to and ; ^ / or could
modified the / be this ; is / been are
verify to / ^ and can
achieve to / can and you or
achieved be / is
achieving in / of to
depicted is / often be
collect to / and ^ will can you
collected they / be ; data / he ; money / had
demonstrate to / and that
demonstrates that / diagram
wanted the / you always i just as she we and ; he / who ; if / your ; their / they ; a / our
start to / can could should will would
use can / to ; could / will would might ; should / may must
choose to / can should might would could will
buy to / can will should could would
try to / can could ; will / should ; would / might
need will / would may ; might / to
provide to / can will could cannot would ; may / should might
do_not i / you they and we ^ please that why who but people so still results also really just probably
does_not it / that and ; file / she ; he / but ; this / which ; class / prophet order ; person / who
did_not i / she who ; they / he ; you / we ; ^ / it students
is_not this / which and ; it / that x ; data / but user ; function / column there ; a / line ; model / teacher ; app / code
are_not that / they who and ; you / there these which
was_not it / i he response
will_not i / it they ; you / and she
would_not i / it you ; that / they
should_not you / and
could_not he / i they ; you / and she
has_not it / and that
have_not i / you ; that / we
cannot i / you we they and that it he who data science which
it_is ^ / and that but ; so / however ; think / because yes ; since / when ; while / why ; before / then ; additionally / time ; sure / therefore ; general / like ; context / know ; until / well ; it / others ; in / overall ; system / maybe meaning ; means / no ; applications / ensure ; not / systems ; case / finally ; language / me ; which / world ; again / also ; although / is ; learning / mean ; one / today ; you / data form ; hello / information ; life / now ; other / provided ; say / situation ; story / this ; though / ultimately ; all / america ; distribution / document ; india / model ; name / object ; of / potential ; remember / understand
that_is ^ / way language think and ; but / circle something ; of / yes ; so / afraid information ; code / framework ; system / number ; content / method ; data / food ; oh / one ; color / company ; movie / no ; wow / material paper ; solution / well ; word / world ; all / chairman ; communicating / drink ; format / function ; meal / model ; option / platform ; song / sorry ; sure / thing ; action / adapter ; city / design ; environment / memory ; motor / phrase ; salt / since ; state / term
there_is ^ / that and ; so / but however ; when / since think ; then / yes ; like / snail because
i_am ^ / but and sorry that yes so ; model / well ; however / sure hello ; you / for know ; question / think ; when / because ; about / course ; welcome / jll ; like / since ; do / human ; it / me ; now / tasks ; time / while ; hi / hmm ; information / no ; this / great life ; ok / out ; person / something ; unfortunately / ask data ; help / hippie ; hm / idea ; one / right ; then / though
you_are that / ^ like when ; think / and hope ; so / why ; sure / know because ; while / but ; now / confusion ; problem / see yes ; dean / person ; platform / say ; since / though ; glad / hear ; imagine / once ; pretend / response ; you / drugs ensure ; then / things
we_are ^ / since and that ; so / when but
they_are that / but and because ; when / ^ so ; since / until ; like / think ; however / sure while ; means / them though
he_is ^ / that and so ; since / then ; but / when why
she_is ^ / and that ; so / when since ; means / currently think
what_is ^ / instruction and about of see for know question mean beyond sure understand
here_is ^ / sure certainly ; and / that ; earlier / mistake so ; but / ok ; course / however ; response / yes ; great / code data ; extension / file ; provided / space
who_is someone / person woman ; speaker / character
i_will and / ^ sure ; but / that chapter ; corner / so ; now / space ; okay / then ; again / course
you_will that / and ^ ; first / but so ; hope / then ; next / for environment ; it / p ; program / think
we_will ^ / and ; example / article next ; so / that ; ecosystem / collaboration workflow
it_will ^ / so but ; and / that hours ; because / means ; long / then
they_will so / ^ that ; and / then
each_other with / to for at on
`;
