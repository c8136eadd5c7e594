namespace ComposerBot.Music.LeadSheets;

/// <summary>
/// Template chord recognition: every root and quality is scored by how much of the weighted pitch-class
/// profile its chord tones cover, less what falls outside them and the tones it lacks, with small
/// preferences for chords of the key and for the bass note as root.
/// </summary>
public static class ChordRecognizer
{
    private static readonly ChordQuality[] Qualities = Enum.GetValues<ChordQuality>();

    /// <summary>The best chord for a 12-bin pitch-class weight profile, or null when it is empty.</summary>
    public static Chord? Recognize(ReadOnlySpan<double> pitchClassWeights, KeySignature? key = null, int? bassPitchClass = null)
    {
        var total = 0.0;
        foreach (var w in pitchClassWeights)
        {
            total += w;
        }

        if (total <= 0)
        {
            return null;
        }

        Chord? best = null;
        var bestScore = double.NegativeInfinity;
        for (var root = 0; root < 12; root++)
        {
            foreach (var quality in Qualities)
            {
                var chord = new Chord(root, quality);
                var tones = chord.PitchClasses.ToArray();
                double inside = 0;
                var missing = 0;
                foreach (var pc in tones)
                {
                    inside += pitchClassWeights[pc] / total;
                    missing += pitchClassWeights[pc] > 0 ? 0 : 1;
                }

                // Outside tones count half: passing notes are normal; absent chord tones cost, and a
                // seventh chord must earn its fourth tone.
                var score = inside - (0.5 * (1 - inside)) - (0.15 * missing) - (tones.Length == 4 ? 0.05 : 0);
                if (key is { } k && IsDiatonic(chord, k))
                {
                    score += 0.08;
                }

                if (bassPitchClass == root)
                {
                    score += 0.1;
                }

                if (quality is ChordQuality.Augmented or ChordQuality.Suspended4 or ChordQuality.Diminished)
                {
                    score -= 0.05;
                }

                if (score > bestScore)
                {
                    bestScore = score;
                    best = chord;
                }
            }
        }

        return best;
    }

    /// <summary>Whether every tone of the chord is in the key (harmonic minor's raised 7th allowed).</summary>
    public static bool IsDiatonic(Chord chord, KeySignature key) => chord.PitchClasses.All(pc => MelodyScale.InKey(key, pc));
}
