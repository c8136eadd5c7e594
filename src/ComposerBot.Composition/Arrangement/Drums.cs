using ComposerBot.Composition.Requests;

namespace ComposerBot.Composition.Arrangement;

/// <summary>
/// Drum patterns per style on the pulse grid (General MIDI percussion keys): kick 36, snare 38, clap 39,
/// closed hat 42, open hat 46, crash 49, ride 51, tambourine 54, low tom 45. The orchestra kit (drum program
/// 48) has timpani on keys 41-53, so its crash is the concert cymbal on 57 (both MuseScore General and
/// FluidR3_GM play a timpani stretched up 11 semitones on 49).
/// </summary>
internal static class Drums
{
    private const int Kick = 36, Snare = 38, Clap = 39, ClosedHat = 42, OpenHat = 46, Crash = 49, ConcertCymbal = 57, Tambourine = 54, LowTom = 45, SideStick = 37;

    public static void Play(DrumPattern pattern, ArrangementContext c, PartWriter part)
    {
        var pulses = c.Bar / c.Pulse;
        var eighth = c.Pulse / 2;
        var sixteenth = c.Pulse / 4;
        string? previousSection = null;
        for (long barStart = 0; barStart < c.End; barStart += c.Bar)
        {
            var section = c.SectionName(barStart);
            if (section != previousSection && section is not "intro" && barStart > 0 || c.IsHitBar(barStart))
            {
                part.Add(pattern == DrumPattern.Orchestral ? ConcertCymbal : Crash, barStart, c.Pulse * 2, c.Velocity(barStart, 10));
            }

            previousSection = section;
            if (c.IsHitBar(barStart))
            {
                part.Add(Kick, barStart, c.Pulse, 127);
                part.Add(Snare, barStart, c.Pulse, 120);
                continue;
            }

            var light = section is "intro" or "ending" || c.Energy(barStart) < 0.45;
            for (var p = 0; p < pulses; p++)
            {
                var t = barStart + (p * c.Pulse);
                var backbeat = pulses >= 4 ? p % 2 == 1 : pulses == 3 ? p > 0 : p == 1;
                switch (pattern)
                {
                    case DrumPattern.Rock:
                        if (p % 2 == 0 || (p == pulses - 2 && !light))
                        {
                            part.Add(Kick, t, eighth, c.Velocity(t, 6));
                        }

                        if (backbeat && !light)
                        {
                            part.Add(Snare, t, eighth, c.Velocity(t, 8));
                        }

                        Hats(part, c, t, eighth, ClosedHat, -10);
                        break;
                    case DrumPattern.Chip:
                        if (p % 2 == 0)
                        {
                            part.Add(Kick, t, sixteenth, c.Velocity(t));
                        }

                        if (backbeat && !light)
                        {
                            part.Add(Snare, t, sixteenth, c.Velocity(t, -4));
                        }

                        Hats(part, c, t, sixteenth, ClosedHat, -24);
                        break;
                    case DrumPattern.LoFi:
                        if (p == 0 || (p == 2 && pulses >= 4))
                        {
                            part.Add(Kick, t, eighth, c.Velocity(t, -4));
                        }

                        if (p == 1 && pulses >= 4)
                        {
                            part.Add(Kick, t + eighth, eighth, c.Velocity(t, -14));
                        }

                        if (backbeat)
                        {
                            part.Add(light ? SideStick : Snare, t, eighth, c.Velocity(t, -10));
                        }

                        Hats(part, c, t, eighth, ClosedHat, -22);
                        break;
                    case DrumPattern.Synthwave:
                        part.Add(Kick, t, eighth, c.Velocity(t, 4));
                        if (backbeat && !light)
                        {
                            part.Add(Snare, t, eighth, c.Velocity(t, 6));
                            part.Add(Clap, t, eighth, c.Velocity(t, -6));
                        }

                        part.Add(OpenHat, t + eighth, eighth, c.Velocity(t, -22));
                        break;
                    case DrumPattern.Folk:
                        part.Add(p == 0 ? LowTom : Kick, t, eighth, c.Velocity(t, p == 0 ? 0 : -12));
                        if (!light)
                        {
                            part.Add(Tambourine, t + eighth, eighth, c.Velocity(t, -20));
                        }

                        break;
                    case DrumPattern.Orchestral:
                        if (p == 0)
                        {
                            part.Add(Kick, t, c.Pulse, c.Velocity(t, light ? -20 : 0));
                        }

                        if (!light && backbeat && c.Energy(t) > 0.8)
                        {
                            part.Add(Snare, t, eighth, c.Velocity(t, -16));
                        }

                        break;
                }
            }

            // The bar before a stinger's hit rolls in 16ths (the build).
            if (c.Plan.Request.Stinger && barStart == c.End - (2 * c.Bar) && pattern != DrumPattern.None)
            {
                for (var t = barStart; t < barStart + c.Bar; t += sixteenth)
                {
                    part.Add(Snare, t, sixteenth, c.Velocity(t, -20) + (30.0 * (t - barStart) / c.Bar));
                }
            }
        }
    }

    private static void Hats(PartWriter part, ArrangementContext c, long pulseStart, long step, int key, int accent)
    {
        for (var t = pulseStart; t < pulseStart + c.Pulse; t += step)
        {
            part.Add(key, t, step, c.Velocity(t, accent - (t == pulseStart ? 0 : 8)));
        }
    }
}
