namespace Engine.Ode;

/// <summary>
/// A solve that could not go on: too many steps, a step size that underflowed, or a state that became NaN or
/// infinite. The message and the properties say where.
/// </summary>
public sealed class OdeSolverException : Exception
{
    /// <summary>An error at time <paramref name="time"/> with step size <paramref name="stepSize"/> and the last error norm (NaN when none).</summary>
    public OdeSolverException(string message, double time, double stepSize, double errorNorm) : this(message, time, stepSize, errorNorm, null)
    {
    }

    /// <summary>The same, for a failure that <paramref name="inner"/> (a failure of an inner solve) describes first.</summary>
    public OdeSolverException(string message, double time, double stepSize, double errorNorm, Exception? inner) : base(message, inner)
    {
        Time = time;
        StepSize = stepSize;
        ErrorNorm = errorNorm;
    }

    /// <summary>The time the solver had reached.</summary>
    public double Time { get; }

    /// <summary>The step size it was trying.</summary>
    public double StepSize { get; }

    /// <summary>
    /// The error norm of the last attempted adaptive step, scaled by the tolerances (the step is accepted when
    /// it is at most 1); NaN for fixed steps and when no step was attempted.
    /// </summary>
    public double ErrorNorm { get; }
}
