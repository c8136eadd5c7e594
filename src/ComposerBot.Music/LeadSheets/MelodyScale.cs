namespace ComposerBot.Music.LeadSheets;

/// <summary>Which pitches belong to a key, as the metrics and the composers agree to count them.</summary>
public static class MelodyScale
{
    /// <summary>
    /// In key: the major scale for major keys; for minor keys the natural minor scale plus the raised
    /// 7th (the leading tone of harmonic minor), which minor-key folk tunes and chorales use constantly.
    /// </summary>
    public static bool InKey(KeySignature key, int pitch)
    {
        if (key.Contains(pitch))
        {
            return true;
        }

        var degree = (((pitch - key.Tonic) % 12) + 12) % 12;
        return key.Mode == KeyMode.Minor && degree == 11;
    }
}
