using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ComposerBot.Generation.Neural.Training;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", ICLR 2019),
/// in the form PyTorch documents for torch.optim.AdamW (no AMSGrad): per parameter, p ← p·(1 − lr·λ);
/// m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; p ← p − (lr / (1 − β₁ᵗ))·m / (√v / √(1 − β₂ᵗ) + ε).
/// With λ = 0 it is Adam. Written here rather than taken from TorchSharp because TorchSharp 0.107's optimisers
/// hand libtorch numbers (β, the learning rate, the decay) as Scalars nothing holds (see <see cref="TorchArithmetic"/>):
/// a collection on another thread during a step frees them while libtorch reads them. Every number here is a
/// Scalar held until the operation returns. The moments and step counts save to and load from a checkpoint.
/// </summary>
public sealed class AdamW : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly Tensor[] _first;
    private readonly Tensor[] _second;
    private readonly long[] _steps;
    private readonly double _beta1;
    private readonly double _beta2;
    private readonly double _epsilon;
    private readonly double _weightDecay;

    public AdamW(IEnumerable<Parameter> parameters, double learningRate, double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8, double weightDecay = 0)
    {
        if (!(learningRate >= 0) || !(beta1 is >= 0 and < 1) || !(beta2 is >= 0 and < 1) || !(epsilon >= 0) || !(weightDecay >= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(learningRate), $"AdamW needs lr >= 0, 0 <= beta < 1, eps >= 0 and decay >= 0 (got {learningRate}, {beta1}, {beta2}, {epsilon}, {weightDecay}).");
        }

        _parameters = [.. parameters];
        LearningRate = learningRate;
        (_beta1, _beta2, _epsilon, _weightDecay) = (beta1, beta2, epsilon, weightDecay);
        using var noGrad = no_grad();
        _first = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _second = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        _steps = new long[_parameters.Length];
    }

    /// <summary>The rate of the next step (a schedule sets it before each).</summary>
    public double LearningRate { get; set; }

    /// <summary>Forgets every parameter's gradient, before the next backward pass.</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in _parameters)
        {
            using var grad = parameter.grad;
            grad?.zero_();
        }
    }

    /// <summary>Moves every parameter that has a gradient one step.</summary>
    public void Step()
    {
        using var noGrad = no_grad();
        using var decay = (1 - (LearningRate * _weightDecay)).ToScalar();
        using var beta1 = _beta1.ToScalar();
        using var beta2 = _beta2.ToScalar();
        using var gradWeight = (1 - _beta1).ToScalar();
        using var squareWeight = (1 - _beta2).ToScalar();
        using var epsilon = _epsilon.ToScalar();
        using var one = 1.ToScalar();
        for (var i = 0; i < _parameters.Length; i++)
        {
            using var scope = NewDisposeScope();
            var parameter = _parameters[i];
            var grad = parameter.grad;
            if (grad is null)
            {
                continue;
            }

            var step = ++_steps[i];
            var firstCorrection = 1 - Math.Pow(_beta1, step);
            var secondCorrection = 1 - Math.Pow(_beta2, step);
            parameter.mul_(decay);
            _first[i].mul_(beta1).add_(grad, gradWeight);
            _second[i].mul_(beta2).addcmul_(grad, grad, squareWeight);
            using var root = Math.Sqrt(secondCorrection).ToScalar();
            using var stepSize = (-LearningRate / firstCorrection).ToScalar();
            var denominator = _second[i].sqrt().div(root).add_(epsilon, one);
            parameter.addcdiv_(_first[i], denominator, stepSize);
        }
    }

    /// <summary>Writes each parameter's step count and moments.</summary>
    public void Save(BinaryWriter writer)
    {
        writer.Write(_parameters.Length);
        for (var i = 0; i < _parameters.Length; i++)
        {
            writer.Write(_steps[i]);
            _first[i].Save(writer);
            _second[i].Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote for the same parameters.</summary>
    /// <exception cref="InvalidDataException">The state is for another number of parameters.</exception>
    /// <exception cref="ArgumentException">A moment's shape or type is not its parameter's.</exception>
    public void Load(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        if (count != _parameters.Length)
        {
            throw new InvalidDataException($"the optimiser state holds {count} parameters, the model {_parameters.Length}");
        }

        for (var i = 0; i < count; i++)
        {
            _steps[i] = reader.ReadInt64();
            _first[i].Load(reader);
            _second[i].Load(reader);
        }
    }

    public void Dispose()
    {
        foreach (var moment in _first.Concat(_second))
        {
            moment.Dispose();
        }
    }
}
