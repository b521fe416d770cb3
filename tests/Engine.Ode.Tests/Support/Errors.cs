namespace Engine.Ode.Tests.Support;

/// <summary>Error measures and the observed order of convergence.</summary>
internal static class Errors
{
    public static double MaxAbs(double[] actual, double[] expected)
    {
        double max = 0;
        for (int i = 0; i < actual.Length; i++) max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        return max;
    }

    /// <summary>The least-squares slope of log(error) against log(h): the observed order of convergence.</summary>
    public static double ObservedOrder(double[] stepSizes, double[] errors)
    {
        var x = stepSizes.Select(h => Math.Log(h)).ToArray();
        var y = errors.Select(e => Math.Log(e)).ToArray();
        double meanX = x.Average(), meanY = y.Average(), covariance = 0, variance = 0;
        for (int i = 0; i < x.Length; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }
        return covariance / variance;
    }
}
