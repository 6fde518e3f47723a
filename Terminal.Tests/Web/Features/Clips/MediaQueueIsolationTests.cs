using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Terminal.Data;
using Terminal.Tests.Infrastructure;
using static Terminal.Tests.Web.Features.Clips.ClipTestData;

namespace Terminal.Tests.Web.Features.Clips;

/// <summary>
/// SPEC §4: probe, thumbnail and preview work runs on its own bounded queue, so sources that send a
/// header and then trickle (never idle long enough for the read timeout) hold no Quartz thread: a
/// scheduled job — a market tick, a clip hand-over — still fires at once.
/// </summary>
public sealed class MediaQueueIsolationTests : IClassFixture<MediaQueueIsolationTests.Fixture>
{
    private readonly Fixture _fixture;

    public MediaQueueIsolationTests(Fixture fixture) => _fixture = fixture;

    public sealed class Fixture : IAsyncLifetime
    {
        public ClipsWebFactory App { get; } = new();

        public WebApplication Trickle { get; private set; } = null!;

        public Uri TrickleUri { get; private set; } = null!;

        private int _hits;

        /// <summary>Requests the trickling server has received.</summary>
        public int Hits => Volatile.Read(ref _hits);

        public async Task InitializeAsync()
        {
            (Trickle, TrickleUri) = await LoopbackOrigin.StartAsync(trickle => trickle.MapGet("/trickle/{n}", async (string n, HttpContext context) =>
            {
                Interlocked.Increment(ref _hits);
                context.Response.ContentType = "video/mp4";
                var header = "\0\0\0\u0018ftypmp42\0\0\0\0mp42isom"u8.ToArray();
                try
                {
                    await context.Response.Body.WriteAsync(header, context.RequestAborted);
                    await context.Response.Body.FlushAsync(context.RequestAborted);
                    while (!context.RequestAborted.IsCancellationRequested)
                    {
                        await Task.Delay(500, context.RequestAborted);
                        await context.Response.Body.WriteAsync(new byte[] { 0 }, context.RequestAborted);
                        await context.Response.Body.FlushAsync(context.RequestAborted);
                    }
                }
                catch (OperationCanceledException)
                {
                    // The pipeline gave up on this source.
                }
            }));

            // A small scheduler: before the media queue, two trickling probes took every Quartz thread.
            App.Settings["Terminal:Scheduler:MaxConcurrency"] = "2";
            App.Settings["Terminal:Media:MaxConcurrentPreparations"] = "2";
            App.Settings["Terminal:Media:MaxPendingProbesPerUser"] = "10";
            App.Settings["Terminal:Media:AllowedPrivateOrigins:0"] = TrickleUri.GetLeftPart(UriPartial.Authority);
            await using var db = await App.Services.GetRequiredService<IDbContextFactory<TerminalDbContext>>().CreateDbContextAsync();
            await EnsureCreatorAsync(db);
        }

        public async Task DisposeAsync()
        {
            await App.DisposeAsync();
            await Trickle.DisposeAsync();
        }
    }

    /// <summary>Signals that Quartz gave it a thread.</summary>
    public sealed class SignalJob : IJob
    {
        public static readonly TaskCompletionSource Ran = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
        {
            Ran.TrySetResult();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task TricklingSources_DoNotDelayAScheduledJob()
    {
        var user = await _fixture.App.CreateUserClientAsync();
        for (var i = 0; i < 4; i++)
        {
            var created = await user.Http.PostAsJsonAsync("/api/vods", new { creatorId = 9001, title = "trickle", sourceUrl = new Uri(_fixture.TrickleUri, $"/trickle/{i}").ToString() });
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        await Wait.UntilAsync(() => _fixture.Hits >= 2, TimeSpan.FromSeconds(30), "two preparations are reading trickling sources");

        var scheduler = await _fixture.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        await scheduler.ScheduleJob(JobBuilder.Create<SignalJob>().WithIdentity("signal-" + Guid.NewGuid().ToString("N")).Build(), TriggerBuilder.Create().StartNow().Build());

        var fired = await Task.WhenAny(SignalJob.Ran.Task, Task.Delay(TimeSpan.FromSeconds(5)));
        fired.Should().Be(SignalJob.Ran.Task, "a Quartz job must not wait behind media preparation");
    }
}
