namespace ComposerBot.Music.LeadSheets;

/// <summary>
/// Extracts a lead sheet from a score: the melody (the designated track, else the highest track, reduced
/// to its top voice), a chord per slot (from the accompaniment where there is one, else from the melody),
/// and the key and meter (from hints, else the file, else estimated).
/// </summary>
public static class LeadSheetExtractor
{
    public static LeadSheet? Extract(Score score, PieceHints? hints = null)
    {
        hints ??= new PieceHints();
        var pitched = score.Tracks.Select((t, i) => (Track: t, Index: i)).Where(x => !x.Track.IsDrum && x.Track.Notes.Count > 0).ToList();
        if (pitched.Count == 0)
        {
            return null;
        }

        var melodyIndex = hints.MelodyTrack is { } m && pitched.Any(p => p.Index == m)
            ? m
            : pitched.MaxBy(p => p.Track.Notes.Average(n => n.Pitch)).Index;
        var scale = (double)LeadSheet.Resolution / score.TicksPerQuarter;
        var melody = TopVoice(score.Tracks[melodyIndex].Notes.Select(n => Rescale(n, scale)));
        if (melody.Count == 0)
        {
            return null;
        }

        var accompaniment = pitched.Where(p => p.Index != melodyIndex).SelectMany(p => p.Track.Notes).Select(n => Rescale(n, scale)).Where(n => n.Duration > 0).ToList();
        var meter = (hints.Meter ?? score.InitialMeter) with { Tick = 0 };
        var key = hints.Key ?? score.Key ?? KeyEstimator.Estimate([.. melody, .. accompaniment]) ?? new KeySignature(0, KeyMode.Major);
        var ticksPerBar = meter.TicksPerBar(LeadSheet.Resolution);
        var bars = (int)Math.Max(1, (melody.Max(n => n.End) + ticksPerBar - 1) / ticksPerBar);
        var chords = Chords(accompaniment.Count > 0 ? accompaniment : melody, accompaniment.Count > 0, key, meter, bars);
        return new LeadSheet(meter, key, score.TempoMap.InitialBpm, bars, melody.ToValueList(), chords);
    }

    private static Note Rescale(Note n, double scale)
    {
        var start = (long)Math.Round(n.Start * scale);
        return n with { Start = start, Duration = Math.Max(1, (long)Math.Round(n.End * scale) - start) };
    }

    /// <summary>At each onset keep the highest note; each note ends by the next onset.</summary>
    public static List<Note> TopVoice(IEnumerable<Note> notes)
    {
        var tops = notes.GroupBy(n => n.Start).Select(g => g.MaxBy(n => n.Pitch)).OrderBy(n => n.Start).ToList();
        var result = new List<Note>(tops.Count);
        for (var i = 0; i < tops.Count; i++)
        {
            var note = tops[i];
            var end = i + 1 < tops.Count ? Math.Min(note.End, tops[i + 1].Start) : note.End;
            if (end > note.Start)
            {
                result.Add(note with { Duration = end - note.Start });
            }
        }

        return result;
    }

    private static ValueList<ChordSpan> Chords(List<Note> source, bool fromAccompaniment, KeySignature key, MeterChange meter, int bars)
    {
        var slot = LeadSheet.ChordSlotTicks(meter);
        var end = bars * meter.TicksPerBar(LeadSheet.Resolution);
        var spans = new List<ChordSpan>();
        var weights = new double[12];
        Chord? previous = null;
        for (long start = 0; start < end; start += slot)
        {
            Array.Clear(weights);
            var bass = int.MaxValue;
            foreach (var note in source)
            {
                var overlap = Math.Min(note.End, start + slot) - Math.Max(note.Start, start);
                if (overlap > 0)
                {
                    weights[note.Pitch % 12] += overlap;
                    bass = Math.Min(bass, note.Pitch);
                }
            }

            var chord = ChordRecognizer.Recognize(weights, key, fromAccompaniment && bass != int.MaxValue ? bass % 12 : null)
                ?? previous
                ?? new Chord(key.Tonic, key.Mode == KeyMode.Minor ? ChordQuality.Minor : ChordQuality.Major);
            spans.Add(new ChordSpan(start, Math.Min(slot, end - start), chord));
            previous = chord;
        }

        return spans.ToValueList();
    }
}
