namespace Engine.Ode;

/// <summary>
/// The PI step-size controller (Gustafsson 1991; Hairer and Wanner, Solving ODEs II, IV.2): after an accepted
/// step with error ratio err_n, h_next = h safety err_n^(-0.7/k) err_(n-1)^(0.4/k), where the error estimate
/// scales like h^k. A rejected step shrinks by the plain (integral) controller safety err^(-1/k). Factors are
/// clamped to [MinFactor, MaxFactor], and a step right after a rejection does not grow.
/// </summary>
internal sealed class StepSizeController(int exponent, double safety, double minFactor, double maxFactor)
{
    private readonly double proportional = 0.7 / exponent, integral = 0.4 / exponent;
    private double previousError = 1;
    private bool lastRejected;

    public double Accept(double h, double error)
    {
        double factor = error == 0 ? maxFactor : safety * Math.Pow(error, -proportional) * Math.Pow(previousError, integral);
        factor = Math.Clamp(factor, minFactor, lastRejected ? 1 : maxFactor);
        previousError = Math.Max(error, 1e-4);
        lastRejected = false;
        return h * factor;
    }

    /// <summary>A smaller step after a rejection; the smallest allowed one when the error is NaN or infinite.</summary>
    public double Reject(double h, double error)
    {
        double factor = double.IsFinite(error) ? Math.Clamp(safety * Math.Pow(error, -1.0 / exponent), minFactor, 1) : minFactor;
        lastRejected = true;
        return h * factor;
    }
}
