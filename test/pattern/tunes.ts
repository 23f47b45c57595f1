// Multi-line programs in the style of the tunes on strudel.cc, written for
// the differential test (tunes.test.ts): several `$:` blocks or one long
// stack, setcps/setcpm, samples(...), arrange, voicings, .pianoroll(),
// single and double quotes, comments and blank lines inside expressions.

export const TUNES: string[] = [
  `// a first beat
setcps(0.5)
$: s("bd*2 [~ bd] sd [~ sd]").bank('RolandTR909')
$: s("hh*8").gain(".4 .7")`,

  `setcpm(120/4)
stack(
  s("bd*4"),
  s("~ cp ~ cp").room(.3),

  s("hh*8").gain(sine.range(.3, .8))
)`,

  `samples('github:tidalcycles/dirt-samples')
$: s("bd:1 [~ bd:2] sd:3 ~").speed("<1 1.5>")
$: s("[~ hh]*4").pan(sine)`,

  `// bass and chords
$: note("<c2 ab1 f1 g1>").s('sawtooth').lpf(600).lpq(5)
$: chord("<Cm Ab F G>").voicing().s("piano").gain(.6)`,

  `note("c3 [e3 g3] <a3 b3> c4")
  .s("triangle")
  .attack(.01).release(.3)
  .pianoroll()`,

  `const drums = stack(
  s("bd ~ [~ bd] ~"),
  s("~ sd ~ sd"),
  s("hh*8")
)
drums.fast("<1 2>")`,

  `n("0 2 4 <6 7>").scale('C4:minor')
  .s("sine")
  .off(1/8, x => x.add(n(7)).gain(.5))`,

  `$: n("<0 4 [3 2] 1>*4").scale("D:dorian").s("gm_acoustic_bass")
_$: s("cp*4")
$: s("bd(3,8)")`,

  `setcps(0.6)
$: s("bd(<3 5>,8)").bank("RolandTR808")
$: s("~ sd").bank("RolandTR808").delay(.3).delaytime(.125)
$: note("<[c3,eb3,g3] [bb2,d3,f3]>").s('sawtooth').cutoff(sine.range(300, 2000).slow(4))`,

  `arrange(
  [2, s("bd*4")],
  [1, s("bd*2 sd")],
  [1, s("hh*8")]
)`,

  `note("c2 c3".fast(2))
  .add(note("<0 3 5 7>"))
  .s("square")
  .lpf(perlin.range(200, 3000))`,

  `// euclid everywhere
stack(
  s("bd").euclid(3, 8),
  s("sd").euclidRot(2, 8, 2),
  s("hh").euclidLegato(5, 8)
).every(4, x => x.rev())`,

  `$: s("[bd sd]*2, hh*4").jux(rev)
$: note("c4 e4 g4 b4").s("sine").ply("<1 2>").gain(.3)`,

  `const melody = "0 [2 4] 3 <5 7>"
n(melody).scale("G:major").s('triangle')
  .sometimesBy(.3, x => x.speed(2))
  .room(.5)`,

  `setcpm(90)
$: s("bd*2 <sd cp>").struct("x ~ x x ~ x ~ ~")
$: n(run(8)).scale("A:minor:pentatonic").s("piano").slow(2)`,

  `stack(
  note("<c3 f3 g3 c3>").s("sawtooth").lpf(800),
  note("<[e4 g4] [a4 c5] [b4 d5] [g4 c5]>").s("square").gain(.4),
  s("bd sd:2 bd sd:3")
).slow(2)`,

  `s("bd*4, ~ cp, hh*8")
  .bank('RolandTR707')
  .mask("<1 [1 0] 1 [0 1]>")`,

  `$: note("c3 eb3 g3 bb3".fast(2)).s("supersaw").chop(2)
$: s("bd*4").duck(2)`,

  `// layered chords
chord("<Dm7 G7 C^7 A7>")
  .voicing()
  .s("gm_epiano1")
  .struct("[~ x]*2")
  .room(.4)`,

  `note("<c4 d4 e4 f4>")
  .superimpose(x => x.add(note(7)).late(1/8))
  .s("sine")
  .release(.5)`,

  `$: s("bd [~ bd] sd ~").gain(1.2)

$: s("hh*16")
  .gain("[.3 .6]*8")
  .degradeBy(.2)`,

  `stack(
  s("bd*2").lpf(300),
  s("~ sd").hpf(500),
  n("0 .. 7").scale("E:phrygian").s("sine").fast(2).gain(.3)
)`,

  `setcps(0.7)
const bass = note("<a1 a1 f1 g1>").s("sawtooth").lpf(400)
const keys = chord("<Am Am F G>").voicing().s("piano")
$: bass
$: keys.gain(.5)`,

  `s("<bd sd> hh [~ hh] hh")
  .chunk(4, x => x.speed(2))
  .pan("<0 .5 1>")`,

  `note("c3 e3 g3 c4")
  .echo(3, 1/8, .6)
  .s("triangle")
  .punchcard()`,

  `n("[0 2 4 7]*2")
  .scale("<C:major A:minor>")
  .s("sine")
  .iter(4)
  .palindrome()`,

  `$: s("bd*4")
$: s("~ cp").every(3, fast(2))
$: s("hh*8").sometimes(x => x.gain(.2))
$: note("<e2 [e2 g2] a2 b2>").s("sawtooth").lpf(1000)`,

  `// samples as a map
samples({ kick: 'bd/BT0A0A7.wav' }, 'https://example.com/')
s("kick*2 [~ kick]").speed(1.2)`,

  `stack(
  "c3 e3 g3".note().s('sawtooth'),
  "<0 3>".n().scale("C:minor").s("square")
)`,

  `"<c3 e3 g3 b3>(3,8)".note()
  .s("sine").decay(.2).sustain(0)`,

  `note("c e g b")
  .add("<0 2 4>")
  .s('piano')
  .velocity(".8 .5")
  .clip(.8)`,

  `$: s("bd sd").fast("<1 2 4>")
$: s("hh*4").swingBy(1/3, 4)
$: note("g3 ~ bb3 ~").s("square").hurry("<1 2>")`,

  `cat(
  s("bd*2 sd"),
  s("bd sd*2"),
  s("[bd bd] sd")
).room(.2)`,

  `n("0 1 2 3 4 5 6 7")
  .scale("C:minor")
  .rev()
  .linger("<.25 .5 1>")
  .s("triangle")`,

  `setcpm(60)
stack(
  s("bd ~ bd ~").orbit(1),
  s("~ ~ sd ~").orbit(2).room(.8),
  s("hh*4").orbit(3)
)`,

  `note("<[c3,e3,g3] [d3,f3,a3] [e3,g3,b3]>")
  .arp("0 1 2 1")
  .s('sawtooth')
  .lpf(1200)
  .pianoroll()`,

  `$: s("bd*4").bank('RolandTR909')
$: s("[~ sd]*2").bank('RolandTR909')
$: note("c2 [~ c3] c2 [~ eb2]").s("sawtooth").lpf(sine.range(200, 1200).slow(8)).lpenv(2)`,

  `// a groove that changes every four cycles
s("bd [~ sd] bd sd")
  .someCyclesBy(.5, x => x.fast(2))
  .lastOf(4, x => x.rev())`,

  `note("c4 eb4 g4 bb4")
  .s("sine")
  .inside(2, rev)
  .outside(2, x => x.ply(2))`,

  `stack(
  s("bd*2"),
  n("<0 2 4 7>").scale("F:major").s("piano").segment(4),
  s("hh(5,8,<0 2>)")
).mask("<1 1 0 1>")`,

  `$: note("c3 g3").s("sawtooth").pw(.3).vib(4).vibmod(.5)
$: s("bd sd").lpa(.1).lpenv(3).lpf(400)`,

  `let pat = s("bd sd hh cp")
pat = pat.sometimesBy(.5, x => x.speed(-1))

pat.jux(x => x.fast(2))`,

  `// side-chain pump: the kick ducks the pad's orbit
$: s("bd*4").duckorbit(2).duckattack(.2).duckdepth(.8)
$: note("<[c3,eb3,g3] [ab2,c3,eb3]>").s("sawtooth").orbit(2).lpf(900).lprate(2).lpdepth(.5)`,

  `note("c2 [~ c2] eb2 [~ g1]")
  .s("sawtooth")
  .hpf(200).hprate("<1 4>").hpshape("tri")
  .bpf(800).bpsync(2)
  .tremolosync(4).tremolodepth(.6).tremoloshape("<sine square>")`,

  `note("e3 g3 b3 d4").s("triangle")
  .chorus(.6)
  .delay(.4).delaysync(.375).delayfeedback(.5)
  .tremolo("8:0.5")`,

  `s("sawtooth").note("<c2 f2>")
  .FX(distort(2), lpf(600))
  .duck("3:4").duckonset(.01)`,

  `note("c3 [eb3 g3] bb2 <f3 ab3>")
  .s("square").fm(2).fmh(1.5).fmwave("<sine triangle sawtooth>")
  .transient("<0.5 -0.5>").lpf(2000).lfo({ r: 0.5, dep: 1 })`,

  `// wavetables: a wt_ bank's cycles, its position swept by an envelope and an LFO
note("c3 eb3 <g3 bb3> c4").s("wt_flute").n("<0 1>")
  .wt("<0 .5>").wtenv(.5).wtattack(.2).wtdecay(.3).wtsustain(.4)
  .wtrate(2).wtdepth(.25).wtsync("<0 1>").wtphaserand(1)`,
];
