// The names issue 3 lists: 62 top-level names and 143 methods.
export const TOP_LEVEL = `add arrange binary binaryN brand cat choose chooseCycles chord cosine early euclid every fast
fastcat firstOf gain hurry irand isaw iter itri late linger mask mini n note palindrome pan perlin ply polymeter
polyrhythm pure rand randcat range rev run s saw saw2 segment seq sequence silence sine sine2 slow slowcat sound
square stack steady struct sub timeCat timecat tri tri2 wchoose`.split(/\s+/);

export const METHODS = `accelerate add almostNever always apply arp attack bank begin bite brak cat ceil chop chord chunk
chunkBack chunkBackInto chunkInto clip coarse compress crush cut cutoff decay degrade degradeBy delay delayfeedback
delaytime div early echo echoWith end euclid euclidLegato euclidLegatoRot euclidRot every fast fastChunk fastGap
filterValues firstOf floor fmap freq fromBipolar gain gte hpf hurry inhabit inside into inv invert iter iterBack jux
juxBy keep keepif lastOf late layer legato linger loopAt lpf lpq lt mask mod mul n note off often orbit out outside
palindrome pan pick pickmod ply pow press pressBy range range2 rangex rarely release repeatCycles resonance rev ribbon
room rootNotes round s scale scaleTranspose scramble segment seq set shape shuffle size slice slow someCycles
someCyclesBy sometimes sometimesBy sound speed splice squeeze stack striate struct stut sub superimpose sustain swing
swingBy toBipolar transpose undegradeBy velocity voicing vowel when withValue within zoom`.split(/\s+/);

