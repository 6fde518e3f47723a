using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Terminal.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RealMarket : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PlatformThumbnailUrl",
                table: "Vods",
                type: "nvarchar(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "PlatformUrl",
                table: "Vods",
                type: "nvarchar(512)",
                maxLength: 512,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "MarketSourceRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Platform = table.Column<int>(type: "int", nullable: false),
                    StartedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    FinishedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Calls = table.Column<int>(type: "int", nullable: false),
                    Units = table.Column<int>(type: "int", nullable: false),
                    Records = table.Column<int>(type: "int", nullable: false),
                    Errors = table.Column<int>(type: "int", nullable: false),
                    Error = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MarketSourceRuns", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MarketSources",
                columns: table => new
                {
                    Platform = table.Column<int>(type: "int", nullable: false),
                    Status = table.Column<int>(type: "int", nullable: false),
                    Reason = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    SecretReference = table.Column<string>(type: "nvarchar(128)", maxLength: 128, nullable: true),
                    KeyHint = table.Column<string>(type: "nvarchar(8)", maxLength: 8, nullable: true),
                    AccountId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    QuotaDay = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: false),
                    QuotaUsed = table.Column<int>(type: "int", nullable: false),
                    BlockedUntil = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastRunAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastError = table.Column<string>(type: "nvarchar(512)", maxLength: 512, nullable: true),
                    NextPollAt = table.Column<DateTime>(type: "datetime2", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MarketSources", x => x.Platform);
                });

            migrationBuilder.CreateTable(
                name: "MonitoredChannels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Platform = table.Column<int>(type: "int", nullable: false),
                    Role = table.Column<int>(type: "int", nullable: false),
                    ExternalId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Handle = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    Title = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: false),
                    EntityId = table.Column<int>(type: "int", nullable: false),
                    UploadsPlaylistId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: true),
                    LastVideoCount = table.Column<long>(type: "bigint", nullable: true),
                    LastUploadsAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Active = table.Column<bool>(type: "bit", nullable: false),
                    CreatorIds = table.Column<string>(type: "nvarchar(1024)", maxLength: 1024, nullable: false),
                    AddedAt = table.Column<DateTime>(type: "datetime2", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MonitoredChannels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TrackedVideos",
                columns: table => new
                {
                    Platform = table.Column<int>(type: "int", nullable: false),
                    VideoId = table.Column<string>(type: "nvarchar(64)", maxLength: 64, nullable: false),
                    ChannelId = table.Column<int>(type: "int", nullable: false),
                    Role = table.Column<int>(type: "int", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ClipId = table.Column<int>(type: "int", nullable: true),
                    VodId = table.Column<Guid>(type: "uniqueidentifier", nullable: true),
                    Live = table.Column<bool>(type: "bit", nullable: false),
                    ConcurrentViewers = table.Column<long>(type: "bigint", nullable: true),
                    Title = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true),
                    LiveStartedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    LastViews = table.Column<long>(type: "bigint", nullable: false),
                    LastChangedAt = table.Column<DateTime>(type: "datetime2", nullable: true),
                    Attribution = table.Column<string>(type: "nvarchar(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrackedVideos", x => new { x.Platform, x.VideoId });
                });

            migrationBuilder.CreateIndex(
                name: "IX_MarketSourceRuns_StartedAt",
                table: "MarketSourceRuns",
                column: "StartedAt");

            migrationBuilder.CreateIndex(
                name: "IX_MonitoredChannels_Platform_ExternalId",
                table: "MonitoredChannels",
                columns: new[] { "Platform", "ExternalId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_MonitoredChannels_Role_EntityId",
                table: "MonitoredChannels",
                columns: new[] { "Role", "EntityId" });

            migrationBuilder.CreateIndex(
                name: "IX_TrackedVideos_ChannelId",
                table: "TrackedVideos",
                column: "ChannelId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "MarketSourceRuns");

            migrationBuilder.DropTable(
                name: "MarketSources");

            migrationBuilder.DropTable(
                name: "MonitoredChannels");

            migrationBuilder.DropTable(
                name: "TrackedVideos");

            migrationBuilder.DropColumn(
                name: "PlatformThumbnailUrl",
                table: "Vods");

            migrationBuilder.DropColumn(
                name: "PlatformUrl",
                table: "Vods");
        }
    }
}
