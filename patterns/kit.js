// Kit: the built-in drum machine, no sample files needed. An 808 groove with
// a 909 clap in a little room, hats with a tempo-synced echo, toms to end
// every fourth cycle; n picks a variation of a drum.
setcps(0.5)

$: s("bd*2 [~ bd] ~ bd, ~ sd:1").bank("RolandTR808")
$: s("~ cp").bank("RolandTR909").room(0.3).size(1.5)
$: s("[~ hh]*4, ~ ~ ~ oh:1").bank("RolandTR808").gain(0.8)
  .delay(0.25).delaytime(0.375).lock(1).delayfeedback(0.3)
$: s("<~ ~ ~ [lt mt ht ~]>").bank("RolandTR808")
