namespace Engine.Ode.Tests.Support;

/// <summary>Linear least squares by the normal equations (small, well-conditioned fits in tests).</summary>
internal static class LeastSquares
{
    /// <summary>The coefficients c minimising sum_r (rows[r] . c - y[r])^2.</summary>
    public static double[] Fit(double[][] rows, double[] y)
    {
        int n = rows[0].Length;
        var m = new double[n, n + 1];
        for (int r = 0; r < rows.Length; r++)
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++) m[i, j] += rows[r][i] * rows[r][j];
                m[i, n] += rows[r][i] * y[r];
            }
        for (int col = 0; col < n; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < n; r++)
                if (Math.Abs(m[r, col]) > Math.Abs(m[pivot, col])) pivot = r;
            for (int j = 0; j <= n; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double factor = m[r, col] / m[col, col];
                for (int j = col; j <= n; j++) m[r, j] -= factor * m[col, j];
            }
        }
        return Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i]).ToArray();
    }
}
