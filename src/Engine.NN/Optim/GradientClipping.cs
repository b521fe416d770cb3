using Engine.Autodiff;

namespace Engine.NN;

/// <summary>Gradient utilities, like <c>torch.nn.utils</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales the gradients of <paramref name="parameters"/> in place so that their global 2-norm (of all gradients
    /// together) is at most <paramref name="maxNorm"/>, like <c>clip_grad_norm_</c>: by maxNorm / (norm + 1e-6) when the
    /// norm exceeds it. Returns the norm before clipping. Parameters without gradients are skipped.
    /// </summary>
    public static double ClipGradNorm(IEnumerable<Tensor> parameters, double maxNorm)
    {
        if (!(maxNorm > 0)) throw new ArgumentException($"ClipGradNorm: the maximum norm must be positive, got {maxNorm}");
        var gradients = parameters.Select(p => p.Grad).OfType<Tensor>().ToArray();
        using var noGrad = Tape.NoGrad();
        using var scope = TensorScope.Begin();
        double total = Math.Sqrt(gradients.Sum(g => g.Square().Sum().Item<double>()));
        double coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
            foreach (var g in gradients) g.CopyFrom(g * coefficient);
        return total;
    }
}
