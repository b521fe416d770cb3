namespace Engine.Autodiff;

/// <summary>
/// A thread's recording context: the tapes opened in it and whether grad mode is on. Backward passes, custom
/// functions' forwards and <see cref="Grad.Vjp"/> push a fresh frame, so tapes opened inside them (an adjoint's
/// vector-Jacobian products, ANODE's re-run forward) record in isolation: the tapes of the enclosing frame see
/// none of that work and keep none of its memory.
/// </summary>
internal sealed class GradFrame
{
    [ThreadStatic] private static GradFrame? current;

    private GradFrame(bool enabled) => Enabled = enabled;

    /// <summary>This thread's innermost frame (a root frame with grad mode on is made on first use).</summary>
    public static GradFrame Current => current ??= new GradFrame(enabled: true);

    /// <summary>The innermost frame if this thread has one; no allocation.</summary>
    public static GradFrame? CurrentOrNull => current;

    /// <summary>Tapes opened in this frame that are still open, in opening order.</summary>
    public List<Tape> Tapes { get; } = [];

    /// <summary>Grad mode: ops record only while it is on.</summary>
    public bool Enabled { get; set; }

    /// <summary>True when an op run now could be recorded in this frame.</summary>
    public bool IsRecording => Enabled && Tapes.Count > 0;

    /// <summary>Makes a fresh frame current until the returned guard is disposed.</summary>
    public static FrameScope PushIsolated(bool enabled)
    {
        var previous = current;
        current = new GradFrame(enabled);
        return new FrameScope(previous, current);
    }

    /// <summary>Restores the frame that was current before <see cref="PushIsolated"/>; the default value does nothing.</summary>
    public readonly struct FrameScope : IDisposable
    {
        private readonly GradFrame? previous;
        private readonly GradFrame? pushed;

        internal FrameScope(GradFrame? previous, GradFrame pushed)
        {
            this.previous = previous;
            this.pushed = pushed;
        }

        public void Dispose()
        {
            if (pushed is null) return;
            // Tapes opened in the frame and never disposed would keep their saved tensors for ever.
            foreach (var tape in pushed.Tapes.ToArray()) tape.Dispose();
            current = previous;
        }
    }
}
