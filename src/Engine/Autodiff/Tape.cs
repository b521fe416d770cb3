namespace Engine.Autodiff;

/// <summary>
/// Reverse-mode autodiff by recording. While a tape is open, every op with an input the tape tracks (a leaf
/// with <see cref="Tensor.RequiresGrad"/>, a watched tensor, or an output of a node on this tape) appends a
/// node. Tapes opened in the same frame nest: an op is recorded on every open tape that tracks one of its
/// inputs. Backward passes run in a fresh frame, so a backward rule that records (after
/// <see cref="EnableGrad"/>) does so on tapes of its own that the outer tapes never see; with
/// <c>createGraph</c> the backward pass is recorded instead, so gradients can be differentiated again.
/// Disposing the tape frees what its nodes saved.
/// </summary>
public sealed partial class Tape : IDisposable
{
    private readonly List<Node> nodes = [];
    private readonly HashSet<GradIdentity> watched = new(IdentityComparer.Instance);
    private readonly Lock gate = new();
    private readonly GradFrame frame;
    private readonly int ownerThread = Environment.CurrentManagedThreadId;
    private readonly CaptureLog? captures;
    private volatile bool disposed;

    private Tape(GradFrame frame, CaptureLog? captures = null)
    {
        this.frame = frame;
        this.captures = captures;
    }

    /// <summary>Starts recording on this thread, in the current frame.</summary>
    public static Tape Record()
    {
        var tape = new Tape(GradFrame.Current);
        tape.frame.Tapes.Add(tape);
        return tape;
    }

    /// <summary>
    /// Starts recording in the current frame on a tape that also tracks what the tapes of the log's enclosing frame
    /// track, and logs in <paramref name="log"/> each such tensor that a recorded op reads without this tape having produced it.
    /// </summary>
    internal static Tape RecordCaptures(CaptureLog log)
    {
        var tape = new Tape(GradFrame.Current, log);
        tape.frame.Tapes.Add(tape);
        return tape;
    }

    /// <summary>Turns grad mode off on this thread until the returned guard is disposed: nothing is recorded.</summary>
    public static GradMode NoGrad() => new(enabled: false);

    /// <summary>
    /// Turns grad mode on until the returned guard is disposed, for instance inside a backward rule or a custom
    /// function (which run with it off); tapes opened there record in that frame only.
    /// </summary>
    public static GradMode EnableGrad() => new(enabled: true);

    /// <summary>True when grad mode is on in this thread's current frame.</summary>
    public static bool IsGradEnabled => GradFrame.CurrentOrNull?.Enabled ?? true;

    /// <summary>True when an op run now on this thread could be recorded.</summary>
    public static bool IsRecording => GradFrame.CurrentOrNull is { } frame && frame.IsRecording && HasOpenTape(frame);

    /// <summary>Number of nodes recorded so far.</summary>
    public int NodeCount => nodes.Count;

    /// <summary>True once disposed.</summary>
    public bool IsDisposed => disposed;

    /// <summary>Makes the tape track <paramref name="tensor"/> as if it required gradients.</summary>
    public void Watch(Tensor tensor)
    {
        ThrowIfDisposed();
        tensor.ThrowIfDisposed();
        if (!tensor.DType.IsFloating())
            throw new InvalidOperationException($"Watch: only floating tensors can be differentiated, this one is {tensor.DType}");
        watched.Add(tensor.EnsureIdentity());
    }

    internal static bool IsTracked(Tensor tensor)
    {
        if (GradFrame.CurrentOrNull is not { } frame || tensor.Identity is not { } id) return false;
        foreach (var tape in frame.Tapes)
            if (!tape.disposed && tape.Tracks(id)) return true;
        return false;
    }

    private bool Tracks(GradIdentity? id) =>
        id is not null && (id.RequiresGrad || ProducedHere(id) || watched.Count > 0 && watched.Contains(id)
                           || captures is not null && TrackedIn(captures.Enclosing, id));

    private bool ProducedHere(GradIdentity id) => id.Producer is { } producer && producer.IsOn(this);

    private static bool TrackedIn(GradFrame frame, GradIdentity id)
    {
        foreach (var tape in frame.Tapes)
            // A capturing tape that lives in the frame it consults (a recorded product's) would consult itself again.
            if (!tape.disposed && tape.captures?.Enclosing != frame && tape.Tracks(id)) return true;
        return false;
    }

    private bool TracksAny(ReadOnlySpan<Tensor> inputs)
    {
        foreach (var input in inputs)
            if (Tracks(input.Identity)) return true;
        return false;
    }

    /// <summary>True when an open tape of the current frame, with grad mode on, tracks one of <paramref name="inputs"/>.</summary>
    internal static bool WantsAny(params ReadOnlySpan<Tensor> inputs)
    {
        if (GradFrame.CurrentOrNull is not { IsRecording: true } frame) return false;
        foreach (var tape in frame.Tapes)
            if (!tape.disposed && tape.TracksAny(inputs)) return true;
        return false;
    }

    /// <summary>
    /// Appends a built-in op's node to every open tape of the current frame that tracks one of
    /// <paramref name="inputs"/>; false when none does (nothing is recorded).
    /// </summary>
    internal static bool Record(string name, Tensor output, Tensor[] inputs, Tensor[] saved, BackwardRule rule)
    {
        if (!TryGetRecordingTapes(inputs, out var frame)) return false;
        var node = new Node(name, inputs, output, saved, rule);
        AppendToTracking(frame, inputs, node);
        return true;
    }

    /// <summary>Appends a custom function's node; see <see cref="Function.Apply"/>.</summary>
    internal static bool RecordFunction(Function function, FunctionContext context, Tensor[] inputs, Tensor[] outputs, Tensor[] saved)
    {
        if (!TryGetRecordingTapes(inputs, out var frame)) return false;
        var node = new Node(function, context, inputs, outputs, saved);
        AppendToTracking(frame, inputs, node);
        return true;
    }

    private static bool TryGetRecordingTapes(Tensor[] inputs, out GradFrame frame)
    {
        frame = GradFrame.CurrentOrNull!;
        return frame is { IsRecording: true } && WantsAny(inputs);
    }

    private static void AppendToTracking(GradFrame frame, Tensor[] inputs, Node node)
    {
        // Decide for every tape before appending: appending makes the node's outputs tracked.
        Span<bool> tracks = stackalloc bool[frame.Tapes.Count];
        for (int t = 0; t < tracks.Length; t++) tracks[t] = !frame.Tapes[t].disposed && frame.Tapes[t].TracksAny(inputs);
        for (int t = 0; t < tracks.Length; t++)
        {
            if (!tracks[t]) continue;
            var tape = frame.Tapes[t];
            if (tape.captures is not null) tape.LogCaptures(inputs);
            tape.Append(node);
        }
    }

    private void LogCaptures(Tensor[] inputs)
    {
        foreach (var input in inputs)
            if (input.Identity is { } id && Tracks(id) && !ProducedHere(id))
                captures!.Add(input, id);
    }

    private void Append(Node node)
    {
        lock (gate)
        {
            if (disposed) return;
            node.AddTape(this);
            nodes.Add(node);
        }
    }

    private static bool HasOpenTape(GradFrame frame)
    {
        var tapes = frame.Tapes;
        for (int i = tapes.Count - 1; i >= 0; i--)
        {
            if (!tapes[i].disposed) return true;
            tapes.RemoveAt(i); // disposed on another thread; only the owner thread edits its frame
        }
        return false;
    }

    /// <summary>
    /// Frees the tensors saved by this tape's nodes and stops recording. May be called from any thread; the
    /// owning thread stops recording on it at once.
    /// </summary>
    public void Dispose()
    {
        Node[] released;
        lock (gate)
        {
            if (disposed) return;
            disposed = true;
            released = [.. nodes];
            nodes.Clear();
            watched.Clear();
        }
        foreach (var node in released) node.ReleaseTape();
        // Only the owning thread edits its frame; elsewhere the frame drops the tape when it next looks.
        if (ownerThread == Environment.CurrentManagedThreadId) frame.Tapes.Remove(this);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(disposed, this);
}
