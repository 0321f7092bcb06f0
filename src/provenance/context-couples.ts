/**
 * Per pair (named by its first member), its most frequent contexts (the word before it) in
 * order of frequency, taken two at a time as couples. A key gives a couple's two contexts
 * opposite preferences, so the frequent contexts' pulls on a pair's word counts cancel for
 * every key, not only on average over keys (CATER balances its rules for the same reason).
 * Measured on dev-v1 responses by bench/provenance/weights.ts.
 */
export const COUPLE_TABLE = `
also can is are it s could will and should may but he we i would has they she while have might must was m to d were am you ll this ve b re people code app data system that which chapter function team x a environment script  airline company friends gases needs probably speaker
often is are and they he can how as films language that more were people s was
usually is are that it and they i will but not s would areas this which you can cluster error people
quickly to more and as they can she be a data he it them act
approximately is of take be
completely be is not are
especially be is are not white am consuming people
mainly is are
perhaps  or and but so then well it that you
certainly  can is s are should would could
significantly can is
therefore x is and sqrt of frac b cdot circ n week day to a minutes was asy by hour will y c triangle hours times stickers total z are can d has s year align books f have m miles month or pmod she students days degrees fish ge left length meters now pages price r spent than
thus x is and b frac sqrt c y r cdot minutes of k n circ z d week are hours to asy by be day hour le long points miles pounds s align boxes left p pmatrix students t times class days dollars h meters numbers pi right
immediately was be
eventually and was would can which will but is that were
generally is are more s
largely is was
precisely what is say are make know to has not of
sometimes and can are is stirring that do you
regularly them exercise exercising updated
similarly x a
truly is a am it something to
correctly is to functioning not working and are function be questions
easily be can to and more is
increasingly becoming becomes are become
recently i you
greatly vary can
extremely an is
commonly is are most a vary more been and not also
clearly is are
slightly a be is vary
vast the is
crucial is a
essential is s the are civil be
appropriate the not most be is more and are with it using use
additional an the any some for of are include offer add provide with and need these adding few have make or providing require several that
helpful be is and provide are particularly more it providing s not or some very
beneficial be mutually
harmful be or
concise and more a clear
weird a many of the
amazing the an something his s this
tasty a and golden your
polite and be
smart a and the as
famous the a most is was of
ongoing and is
adequate provide be
modern a of in and more the most clean how our sleek with
previous the my from his your its
difficult is be a more it s and very are really increasingly in the also
excellent an has
intricate and the to its
various in the on and a for with of from through to perform more by using across are original s about as into
thorough a more and conduct for of
vivid a so
peaceful a and
reliable and a more are
flexible and more
affordable and more
expensive more and less be computationally to
pleasant and more
eager am is
honest be and
brave a of
dangerous be and more the
notable any most
remarkable something the
benefits the and potential several health many main of its economic environmental treaty competitive key maximize tax their these
drawbacks and potential
goals and your the their s scored specific of business achievable sales these career his our setting goals good policy realistic strategic its measurable design learning set
physician a your the speech
lawyer the contract
movies of s horror the watching and these view
happiness and of the with
emotions or and have your s her their the thoughts of experience cultivating feel strong these complex human personal with expressing his my
abilities and my their unique his the your its new automation cognitive own
ability the my s their its your and his
experts of industry
residents the its
tips some these few and the of name provide in specific more additional
consequences the unintended negative potential severe serious
aspects various all other positive different important
car the your s electric his reduce for each class booking new of in their
cars electric of cars gasoline the toy are driving serve police
improvement for process one the
improvements and to
helped has have which that
helps this that it and also which
helping and for of in
tried you he have i she and
trying are re you and just was were when always is been m by before of on or be recommend not
bought he she has they also be customers have each and i recently
obtained be is
obtain to we can and
obtaining of for
built is was be were not being
finished has be have is a the are he b been d was
completing  by for after
allowed not has are have is that
allows that this it which and also game mrunit
allow to will would that and should can they potentially which could instructions not t
allowing by time
needed as are the is if be she not when they time and he resources were materials still amount energy tickets water effort skills you
reduced and be to is was are in significantly
reduces and that this which
reducing and by in of for is as include
picked the he be randomly they are been is
examine will to
noticed the have
noticing and by
mentioned i you have as
improve to and can help you also students greatly levels significantly
improved and for be an to has as benefits with levels
improving and for on by
modify can to and or
modified the be this is been are
verify to and can cannot
achieve to can and you
achieved be is
achieving in of to for
depicted is often
collect to and will can
collected they be data he money had
demonstrate to and
demonstrates that diagram
wanted the you always i just as she we and he who if your their they a our have
start to can could should will would
use can to could will would might should may
choose to can should might will would
buy to can will should could would
try to can could will should would
need will would may might
provide to can will could cannot would may should
`;
