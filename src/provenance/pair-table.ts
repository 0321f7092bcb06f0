/**
 * The substitution pairs: two words that say the same thing wherever either stands alone in
 * prose (checked by hand, one pair at a time; words with a second sense in technical text,
 * such as big in Big O, error, instance, client or main, are left out), and phrases against
 * their contractions (`_` is a space). `verb` pairs are swapped only right after `to` or a
 * modal verb, where both can only be verbs; `be` pairs (a subject with be or will against its
 * contraction) are guarded where the clause may end after them or the 's means has. The number is how often
 * the first word is used, out of the two, in ordinary answers (dev-v1 responses, measured with
 * bench/provenance/weights.ts): the mark keeps each pair near that share, so word counts do not
 * give it away. Each word is in one pair only.
 */
export const PAIR_TABLE = `
also additionally 0.88
often frequently 0.95
usually typically 0.34
quickly rapidly 0.91
approximately roughly 0.87
completely entirely 0.67
especially particularly 0.50
mainly primarily 0.33
perhaps maybe 0.21
nearly almost 0.23
certainly definitely 0.73
essentially basically 0.56
significantly substantially 0.90
therefore consequently 0.98
thus hence 0.79
furthermore moreover 0.82
nevertheless nonetheless 0.40
immediately instantly 0.82
rarely seldom 0.86
eventually ultimately 0.31
generally broadly 0.96
largely mostly 0.25
precisely exactly 0.07
sometimes occasionally 0.92
regularly routinely 0.98
normally ordinarily 0.97
similarly likewise 0.91
truly genuinely 0.92
honestly frankly 0.86
correctly properly 0.53
easily readily 0.96
increasingly progressively 0.95
recently lately 0.76
greatly considerably 0.96
extremely exceedingly 0.97
incredibly unbelievably 0.89
commonly widely 0.53
clearly evidently 0.98
obviously plainly 0.90
deliberately intentionally 0.17
accidentally unintentionally 0.80
virtually practically 0.83
partly partially 0.15
slightly somewhat 0.87
deeply profoundly 0.97
separately individually 0.64
simultaneously concurrently 0.97
ideally preferably 0.79
hardly barely 0.24
quietly silently 0.50
previously formerly 0.91
huge enormous 0.73
vast immense 0.87
crucial vital 0.86
essential fundamental 0.73
appropriate suitable 0.71
additional extra 0.75
helpful useful 0.52
beneficial advantageous 0.97
harmful damaging 0.88
concise succinct 0.98
weird strange 0.23
fascinating intriguing 0.62
amazing incredible 0.59
wonderful marvelous 0.95
tasty delicious 0.10
polite courteous 0.74
rude impolite 0.96
smart clever 0.85
famous renowned 0.87
ongoing continuing 0.71
adequate sufficient 0.50
modern contemporary 0.92
previous preceding 0.98
obvious apparent 0.76
rare uncommon 0.76
difficult challenging 0.79
excellent outstanding 0.94
terrible awful 0.65
rapid swift 0.64
intricate elaborate 0.69
various diverse 0.81
thorough comprehensive 0.20
considerable substantial 0.25
vivid lively 0.52
peaceful serene 0.75
reliable dependable 0.96
flexible adaptable 0.86
affordable inexpensive 0.87
expensive costly 0.89
nutritious nourishing 0.94
pleasant enjoyable 0.38
eager keen 0.92
honest truthful 0.93
brave courageous 0.88
scared frightened 0.74
dangerous hazardous 0.91
harmless innocuous 0.86
toxic poisonous 0.60
sudden abrupt 0.80
notable noteworthy 0.90
remarkable extraordinary 0.21
delightful charming 0.05
benefits advantages 0.78
drawbacks disadvantages 0.44
drawback disadvantage 0.17
goals objectives 0.85
couch sofa 0.53
physician doctor 0.03
physicians doctors 0.26
lawyer attorney 0.84
lawyers attorneys 0.91
movies films 0.57
illness sickness 0.81
happiness joy 0.38
emotions feelings 0.43
abilities capabilities 0.55
ability capability 0.96
beginners novices 0.96
experts specialists 0.75
residents inhabitants 0.53
teenagers teens 0.69
tips suggestions 0.53
clues hints 0.46
consequences repercussions 0.96
aspects facets 0.98
car automobile 0.98
cars automobiles 0.98
improvement enhancement 0.87
improvements enhancements 0.88
helped assisted 0.92
helps assists 0.98
helping assisting 0.94
tried attempted 0.88
trying attempting 0.96
bought purchased 0.89
obtained acquired 0.79
obtain acquire 0.90
obtains acquires 0.63
obtaining acquiring 0.66
built constructed 0.89
finished completed 0.44
completing finishing 0.86
allowed permitted 0.96
allows permits 0.98
allow permit 0.98
allowing permitting 0.98
needed required 0.60
reduced decreased 0.81
reduces decreases 0.74
reducing decreasing 0.82
picked selected 0.51
examined inspected 0.67
examine inspect 0.51
examines inspects 0.95
examining inspecting 0.85
noticed observed 0.52
noticing observing 0.41
mentioned noted 0.91
improve enhance 0.86
improves enhances 0.83
improved enhanced 0.87
improving enhancing 0.87
modify alter 0.94
modifies alters 0.67
modified altered 0.91
modifying altering 0.86
verify confirm 0.56
verifies confirms 0.25
verified confirmed 0.41
verifying confirming 0.74
achieve attain 0.98
achieves attains 0.74
achieved attained 0.97
achieving attaining 0.98
depict portray 0.83
depicts portrays 0.42
depicted portrayed 0.62
depicting portraying 0.43
collect gather 0.55
collects gathers 0.71
collected gathered 0.76
disappear vanish 0.82
disappears vanishes 0.80
disappeared vanished 0.80
demonstrate illustrate 0.63
demonstrates illustrates 0.64
wanted desired 0.44
gratitude thankfulness 0.96
start begin 0.85 verb
use utilize 0.98 verb
choose select 0.86 verb
buy purchase 0.80 verb
try attempt 0.96 verb
need require 0.84 verb
provide offer 0.85 verb
do_not don't 0.21
does_not doesn't 0.60
did_not didn't 0.36
is_not isn't 0.86
are_not aren't 0.79
was_not wasn't 0.62
were_not weren't 0.82
will_not won't 0.42
would_not wouldn't 0.43
should_not shouldn't 0.64
could_not couldn't 0.18
has_not hasn't 0.66
have_not haven't 0.46
cannot can't 0.51
it_is it's 0.51 be
that_is that's 0.68 be
there_is there's 0.71 be
i_am i'm 0.34 be
you_are you're 0.47 be
we_are we're 0.60 be
they_are they're 0.81 be
he_is he's 0.79 be
she_is she's 0.59 be
what_is what's 0.75 be
here_is here's 0.38 be
who_is who's 0.94 be
i_will i'll 0.44 be
you_will you'll 0.58 be
we_will we'll 0.62 be
it_will it'll 0.95 be
they_will they'll 0.79 be
for_example for_instance 0.92
each_other one_another 0.95
`;
