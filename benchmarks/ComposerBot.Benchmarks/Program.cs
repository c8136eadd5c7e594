using System.Diagnostics;
using ComposerBot.Rendering;
using ComposerBot.Rendering.Loudness;
var rng = new Random(1);
var s = new float[48000 * 48 * 2];
for (var i = 0; i < s.Length; i++) s[i] = (float)(rng.NextDouble() - 0.5) * 0.2f;
var a = new AudioBuffer(s, 48000);
for (var r = 0; r < 2; r++) {
var sw = Stopwatch.StartNew();
var env = TruePeakMeter.Envelope(a); Console.WriteLine($"env {sw.ElapsedMilliseconds}"); sw.Restart();
var g = LookAheadLimiter.Gains(env, 3, 0.8, 240, 4000); Console.WriteLine($"gains {sw.ElapsedMilliseconds}"); sw.Restart();
var l = LoudnessMeter.IntegratedLufs(a); Console.WriteLine($"lufs {sw.ElapsedMilliseconds}"); sw.Restart();
var n = LoudnessNormalizer.Normalize(a, new LoudnessTarget()); Console.WriteLine($"norm {sw.ElapsedMilliseconds}"); sw.Restart();
}
