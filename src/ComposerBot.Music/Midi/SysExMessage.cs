namespace ComposerBot.Music.Midi;

/// <summary>
/// The system exclusive messages a player of General MIDI files acts on, read from a message's bytes
/// (after F0, without F7): universal system on/off, master volume and tuning, MIDI Tuning Standard scale
/// tuning, and Roland GS reset, drum part and scale tuning, Yamaha XG on. Anything else (identity
/// requests, a device's own parameters) is not for a file player and reads as null.
/// </summary>
public abstract record SysExMessage
{
    private const byte NonRealTime = 0x7E;
    private const byte RealTime = 0x7F;
    private const byte Roland = 0x41;
    private const byte Yamaha = 0x43;

    /// <summary>GM, GM2 or GS system on (or GM off), XG on: every channel back to its power-on state.</summary>
    public sealed record Reset(string System) : SysExMessage;

    /// <summary>Master volume, 0 (silent) to 1 (full).</summary>
    public sealed record MasterVolume(double Level) : SysExMessage;

    /// <summary>Master coarse tuning in semitones (-64 to +63).</summary>
    public sealed record MasterCoarseTuning(int Semitones) : SysExMessage;

    /// <summary>Master fine tuning in cents (-100 to just under +100).</summary>
    public sealed record MasterFineTuning(double Cents) : SysExMessage;

    /// <summary>
    /// Scale (octave) tuning of some channels: <see cref="Cents"/> holds the offsets of consecutive pitch
    /// classes from <see cref="FirstPitchClass"/> (0 = C), applied in every octave.
    /// </summary>
    public sealed record ScaleTuning(ValueList<int> Channels, int FirstPitchClass, ValueList<double> Cents) : SysExMessage;

    /// <summary>A GS part turned into a drum part (<see cref="Drum"/>) or back into a melodic one.</summary>
    public sealed record DrumPart(int Channel, bool Drum) : SysExMessage;

    /// <summary>Reads a message, or null for one a file player has nothing to do with (or a damaged one).</summary>
    public static SysExMessage? Parse(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4)
        {
            return null;
        }

        return data[0] switch
        {
            NonRealTime or RealTime => Universal(data[0], data[2], data[3], data[4..]),
            Roland when data.Length >= 8 && data[2] == 0x42 && data[3] == 0x12 => RolandGs(data[4..]),
            Yamaha when data.Length >= 7 && (data[1] & 0xF0) == 0x10 && data[2..7].SequenceEqual((ReadOnlySpan<byte>)[0x4C, 0x00, 0x00, 0x7E, 0x00]) => new Reset("XG"),
            _ => null,
        };
    }

    private static SysExMessage? Universal(byte kind, byte subId1, byte subId2, ReadOnlySpan<byte> body) => (kind, subId1, subId2) switch
    {
        (NonRealTime, 0x09, 0x01) => new Reset("GM"),
        (NonRealTime, 0x09, 0x02) => new Reset("GM off"),
        (NonRealTime, 0x09, 0x03) => new Reset("GM2"),
        (RealTime, 0x04, 0x01) when body.Length >= 2 => new MasterVolume(Fourteen(body[0], body[1]) / 16383.0),
        (RealTime, 0x04, 0x03) when body.Length >= 2 => new MasterFineTuning((Fourteen(body[0], body[1]) - 8192) * 100.0 / 8192),
        (RealTime, 0x04, 0x04) when body.Length >= 2 => new MasterCoarseTuning(body[1] - 64),
        (_, 0x08, 0x08) when body.Length >= 3 + 12 => new ScaleTuning(ChannelMask(body), 0, CentsOf(body[3..15], b => b[0] - 64.0, 1)),
        (_, 0x08, 0x09) when body.Length >= 3 + 24 => new ScaleTuning(ChannelMask(body), 0, CentsOf(body[3..27], b => (((b[0] << 7) | b[1]) - 8192) * 100.0 / 8192, 2)),
        _ => null,
    };

    /// <summary>A Roland DT1 (data set) message: address, data and checksum after the model and command bytes.</summary>
    private static SysExMessage? RolandGs(ReadOnlySpan<byte> body)
    {
        // Address (3 bytes), at least one data byte, then a checksum that makes address + data + checksum 0 mod 128.
        if (body.Length < 5 || Sum(body) % 128 != 0)
        {
            return null;
        }

        var address = body[..3];
        var values = body[3..^1];
        if (address.SequenceEqual((ReadOnlySpan<byte>)[0x40, 0x00, 0x7F]) && values[0] == 0x00)
        {
            return new Reset("GS");
        }

        if (address[0] != 0x40 || (address[1] & 0xF0) != 0x10)
        {
            return null;
        }

        var channel = GsPartChannel(address[1] & 0x0F);
        if (address[2] == 0x15)
        {
            return new DrumPart(channel, values[0] != 0);
        }

        if (address[2] is >= 0x40 and <= 0x4B)
        {
            var first = address[2] - 0x40;
            var count = Math.Min(values.Length, 12 - first);
            return new ScaleTuning(ValueList.Of(channel), first, CentsOf(values[..count], b => b[0] - 64.0, 1));
        }

        return null;
    }

    /// <summary>GS part numbers: part 0 is channel 10 (the drums), parts 1-9 are channels 1-9, the rest their own.</summary>
    private static int GsPartChannel(int part) => part switch
    {
        0 => 9,
        <= 9 => part - 1,
        _ => part,
    };

    /// <summary>The channel bit map of a MIDI Tuning Standard message: ff (channels 15-16), gg (8-14), hh (1-7).</summary>
    private static ValueList<int> ChannelMask(ReadOnlySpan<byte> body)
    {
        var mask = ((body[0] & 0x03) << 14) | ((body[1] & 0x7F) << 7) | (body[2] & 0x7F);
        return Enumerable.Range(0, 16).Where(c => (mask & (1 << c)) != 0).ToValueList();
    }

    private delegate double Reading(ReadOnlySpan<byte> bytes);

    private static ValueList<double> CentsOf(ReadOnlySpan<byte> bytes, Reading read, int width)
    {
        var cents = new double[bytes.Length / width];
        for (var i = 0; i < cents.Length; i++)
        {
            cents[i] = read(bytes.Slice(i * width, width));
        }

        return cents.ToValueList();
    }

    private static int Fourteen(byte lsb, byte msb) => ((msb & 0x7F) << 7) | (lsb & 0x7F);

    private static int Sum(ReadOnlySpan<byte> bytes)
    {
        var sum = 0;
        foreach (var b in bytes)
        {
            sum += b;
        }

        return sum;
    }
}
