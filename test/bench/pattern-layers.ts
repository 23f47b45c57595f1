// The dense program of the pattern query benchmark: 16 layers of transformed
// mini-notation. Shared with the differential test, which checks that these
// layers give Strudel's events.

/** The layers: each one transforms mini-notation, as live code does. */
export const LAYERS: string[] = [
  `s("bd*2 [~ bd] sd [bd sd]").fast(2)`,
  `s("hh*8").gain(sine.range(0.4, 1)).pan(saw)`,
  `note("c3 e3 g3 <b3 d4>").off(1/8, add(note(12)))`,
  `note("<[c3,e3,g3] [d3,f3,a3]>").arp("0 1 2 1").fast(2)`,
  `s("cp(3,8,<0 2>)").room(0.3)`,
  `s("[~ sd]*2").every(3, fast(2))`,
  `n("0 1 2 3 4 5 6 7").scale("D:dorian").iter(4)`,
  `s("bd sd hh cp").chunk(4, hurry(2))`,
  `note("c2 [eb2 g2] <bb1 f2>").lpf(sine.range(300, 2000).segment(8))`,
  `s("hh*16").degradeBy(0.3).speed("1 2")`,
  `s("{bd sd hh, cp lt}%4")`,
  `s("breaks").chop(8).rev()`,
  `note("c4 d4 e4 g4").palindrome().echo(3, 1/8, 0.5)`,
  `s("bd? sd? hh? cp?").ply(2)`,
  `n("<0 3> [2 5]").scale("C:major").jux(rev)`,
  `s("tom*4").struct("t ~ t t ~ t t ~").sometimesBy(0.5, (x) => x.speed(2))`,
];

