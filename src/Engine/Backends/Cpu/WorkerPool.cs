using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Engine.Backends.Cpu;

/// <summary>A piece of parallel work split into numbered parts; a struct, so submitting it allocates nothing.</summary>
internal interface IParallelJob
{
    void Execute(int part);
}

/// <summary>
/// Persistent worker threads for the CPU kernels (<see cref="Environment.ProcessorCount"/> - 1 of them; the
/// submitting thread is the last worker). A job is a struct on the caller's stack, published by pointer; parts are
/// claimed one at a time, so a worker that wakes late simply finds less to do and a job never waits for it. After a
/// job, workers spin for a short while (50 us, yielding as they go) before blocking, so the next op of a tight loop
/// (a neural ODE makes thousands) reaches them without a kernel wake-up. Only one job runs at a time: a second submitter, and any job
/// submitted from inside a part, runs its parts on its own thread.
/// </summary>
internal static unsafe class WorkerPool
{
    private static readonly long SpinTicks = Stopwatch.Frequency / 20000; // 50 us
    private static readonly Lock Submission = new();
    private static readonly SemaphoreSlim Wake = new(0);
    private static nint current;
    private static int active, sleepers;
    private static long sequence, published;
    private static ExceptionDispatchInfo? failure;

    [ThreadStatic] private static bool insideJob;
    private static int serialDepth;

    /// <summary>Threads that run parts: the workers and the submitting thread.</summary>
    public static int Threads { get; } = Math.Max(1, Environment.ProcessorCount);

    static WorkerPool()
    {
        for (int i = 1; i < Threads; i++)
            new Thread(WorkerLoop) { IsBackground = true, Name = $"Engine CPU worker {i}" }.Start();
    }

    /// <summary>Runs <c>job.Execute(p)</c> for p in [0, parts), on the pool when more than one part and thread are available.</summary>
    public static void Run<TJob>(ref TJob job, int parts) where TJob : struct, IParallelJob
    {
        if (parts <= 0) return;
        if (parts == 1 || Threads == 1 || insideJob || Volatile.Read(ref serialDepth) > 0 || !Submission.TryEnter())
        {
            for (int p = 0; p < parts; p++) job.Execute(p);
            return;
        }
        try
        {
            var header = new JobHeader
            {
                Sequence = Interlocked.Increment(ref sequence),
                Parts = parts,
                Remaining = parts,
                Body = &Execute<TJob>,
                State = Unsafe.AsPointer(ref job),
            };
            failure = null;
            Volatile.Write(ref current, (nint)(&header));
            Volatile.Write(ref published, header.Sequence);
            // One read: a sleeper can leave between two, and releasing zero throws.
            int waiting = Volatile.Read(ref sleepers);
            if (waiting > 0) Wake.Release(Math.Min(waiting, parts - 1));
            Work(&header);
            var spin = new SpinWait();
            while (Volatile.Read(ref header.Remaining) > 0) spin.SpinOnce(sleep1Threshold: -1);
            // Unpublish, then wait until no worker still holds the header (it lives on this stack frame).
            Interlocked.Exchange(ref current, 0);
            spin = new SpinWait();
            while (Volatile.Read(ref active) > 0) spin.SpinOnce(sleep1Threshold: -1);
            failure?.Throw();
        }
        finally
        {
            Submission.Exit();
        }
    }

    /// <summary>
    /// Runs every job on its submitting thread until the returned guard is disposed, as with one core; results must not
    /// change (tests compare them with the parallel ones).
    /// </summary>
    internal static SerialScope Serial()
    {
        Interlocked.Increment(ref serialDepth);
        return new SerialScope();
    }

    internal readonly struct SerialScope : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref serialDepth);
    }

    /// <summary>Runs <paramref name="body"/> for each part; for paths where one delegate per call does not matter.</summary>
    public static void For(int parts, Action<int> body)
    {
        var job = new DelegateJob(body);
        Run(ref job, parts);
    }

    private readonly struct DelegateJob(Action<int> body) : IParallelJob
    {
        public void Execute(int part) => body(part);
    }

    private static void Execute<TJob>(void* state, int part) where TJob : struct, IParallelJob => Unsafe.AsRef<TJob>(state).Execute(part);

    private static void Work(JobHeader* header)
    {
        insideJob = true;
        try
        {
            int part;
            while ((part = Interlocked.Increment(ref header->Next) - 1) < header->Parts)
            {
                try
                {
                    header->Body(header->State, part);
                }
                catch (Exception e)
                {
                    Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(e), null);
                }
                Interlocked.Decrement(ref header->Remaining);
            }
        }
        finally
        {
            insideJob = false;
        }
    }

    private static void WorkerLoop()
    {
        long done = 0;
        while (true)
        {
            long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
            // Spin briefly for the next op of a loop, yielding each round so that on a machine with more runnable
            // threads than cores the spinning worker does not take a core from the thread submitting the work.
            while (!HasNewJob(done) && Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(20);
                Thread.Yield();
            }
            if (!HasNewJob(done))
            {
                Interlocked.Increment(ref sleepers);
                if (!HasNewJob(done)) Wake.Wait();
                Interlocked.Decrement(ref sleepers);
                continue;
            }
            Interlocked.Increment(ref active);
            var header = (JobHeader*)Volatile.Read(ref current);
            if (header is not null && header->Sequence != done)
            {
                done = header->Sequence;
                Work(header);
            }
            Interlocked.Decrement(ref active);
        }
    }

    /// <summary>A hint only (it never touches the header, which may be gone); <see cref="WorkerLoop"/> checks again under <c>active</c>.</summary>
    private static bool HasNewJob(long done) => Volatile.Read(ref published) != done && Volatile.Read(ref current) != 0;

    private struct JobHeader
    {
        public long Sequence;
        public int Parts;
        public int Next;
        public int Remaining;
        public delegate*<void*, int, void> Body;
        public void* State;
    }
}
