using System.Diagnostics;

namespace Engine.Bench;

/// <summary>
/// Runs this program again with tiered compilation off (unless the variable is already set): with it on, code
/// that an op reaches only a few times per call stays in unoptimised tier-0 code for the first second or more,
/// which made short warmups report some ops 5-10x slower than their steady state.
/// </summary>
internal static class Untiered
{
    private const string Variable = "DOTNET_TieredCompilation";

    /// <summary>True when the tiering variable is set, i.e. in the restarted process (or when the user chose a value).</summary>
    public static bool IsSet => Environment.GetEnvironmentVariable(Variable) is not null;

    /// <summary>Runs this program with <paramref name="args"/> and <c>DOTNET_TieredCompilation=0</c>; returns its exit code.</summary>
    public static int Restart(IEnumerable<string> args)
    {
        string host = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find the running executable");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(typeof(Untiered).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment[Variable] = "0";
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
        child.WaitForExit();
        return child.ExitCode;
    }
}
