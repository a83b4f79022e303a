package io.rzmq.samples.guide

import io.rzmq.pekko.api.{ZContext, ZSocket}
import io.rzmq.pekko.stream.{ZmqSocketSpec, ZmqStreams}
import io.rzmq.protocol.{Msg, SocketType}
import org.apache.pekko.NotUsed
import org.apache.pekko.actor.typed.ActorSystem
import org.apache.pekko.stream.KillSwitches
import org.apache.pekko.stream.scaladsl.{Keep, Sink, Source}

import java.io.PrintStream
import scala.concurrent.duration._
import scala.concurrent.{Await, ExecutionContext, Future}
import scala.jdk.FutureConverters._
import scala.util.Random

/**
 * The guide's weather service written in Scala, on the same Java API the other samples use: Pekko
 * Streams' scaladsl over `ZmqStreams` (`.asScala` turns its javadsl stages into scaladsl ones) and
 * `scala.jdk.FutureConverters` for the `CompletionStage`s of `ZSocket`.
 *
 * A PUB server streams `Update`s for random zip codes into `ZmqStreams.sink`; a SUB client, declared as
 * a `ZmqSocketSpec` that its Source opens, subscribes to one zip code, parses `readings` updates back into
 * case classes and averages their temperatures. PUB filters by prefix on the publisher side, and never
 * waits for a late subscriber: what was published before the subscription arrived is not delivered.
 */
object WeatherScala {
  /** No step should take anywhere near this long; a hang fails instead of blocking for ever. */
  val Deadline: FiniteDuration = GuideSupport.DEADLINE_SECONDS.seconds

  val FirstZip = 10000
  val ZipCodes = 10

  /** One reading, as the guide sends it: "zip temperature humidity". */
  final case class Update(zip: Int, temperature: Int, humidity: Int) {
    def toMsg: Msg = Msg.of(s"$zip $temperature $humidity")
  }

  object Update {
    def random(): Update =
      Update(FirstZip + Random.nextInt(ZipCodes), Random.nextInt(215) - 80, Random.nextInt(50) + 10)

    /** Parses an update; anything else fails the stream that reads it. */
    def parse(msg: Msg): Update = msg.firstString.split(' ') match {
      case Array(zip, temperature, humidity) => Update(zip.toInt, temperature.toInt, humidity.toInt)
      case _ => throw new IllegalArgumentException(s"not a weather update: '${msg.firstString}'")
    }
  }

  /** What the client saw: its updates, in the order they arrived. */
  final case class Report(zip: Int, updates: Seq[Update]) {
    def averageTemperature: Double =
      if (updates.isEmpty) Double.NaN else updates.map(_.temperature).sum.toDouble / updates.size
  }

  def main(args: Array[String]): Unit = {
    val zip = args.headOption.fold(10001)(_.toInt)
    val readings = args.lift(1).fold(10)(_.toInt)
    GuideSupport.runMain("weather-scala", (system, ctx, out) => {
      run(system, ctx, "tcp://127.0.0.1:*", zip, readings, out)
      ()
    })
  }

  /**
   * Runs the server and one client on `endpoint` until the client has `readings` updates for `zip`
   * (one of 10000..10009), stops both streams (they close their sockets) and returns the client's report.
   */
  def run(system: ActorSystem[_], ctx: ZContext, endpoint: String, zip: Int, readings: Int,
          out: PrintStream): Report = {
    implicit val sys: ActorSystem[_] = system // materializes the streams below

    val pub = ZSocket.create(ctx, SocketType.PUB)
    val bound = await(pub.bind(endpoint).asScala)
    out.println(s"weather server (PUB) bound to $bound, streaming updates for zip codes " +
      s"$FirstZip..${FirstZip + ZipCodes - 1}")
    // An endless stream of updates; the kill switch ends it, and the sink then closes the PUB socket.
    val (killSwitch, serverDone) = Source.repeat(NotUsed)
      .map(_ => Update.random().toMsg)
      .viaMat(KillSwitches.single)(Keep.right)
      .toMat(ZmqStreams.sink(pub).asScala)(Keep.both)
      .run()

    // The client's socket is opened by its Source; the trailing space keeps "1000" from matching "10001".
    val clientSocket = ZmqSocketSpec.of(SocketType.SUB).withSubscribe(s"$zip ").withConnect(bound)
    val (control, received) = ZmqStreams.source(ctx, clientSocket).asScala
      .map(Update.parse)
      .take(readings.toLong)
      .toMat(Sink.seq)(Keep.both)
      .run()
    out.println(s"weather client (SUB) connecting, subscribed to zip code $zip")

    try {
      val report = Report(zip, await(received))
      out.println(s"  first updates received: ${report.updates.take(3).mkString(", ")}")
      out.println(f"average temperature for zip code $zip over ${report.updates.size} readings: " +
        f"${report.averageTemperature}%.1f F")
      report
    } finally {
      killSwitch.shutdown()
      implicit val ec: ExecutionContext = system.executionContext
      await(for {
        _ <- serverDone.asScala
        _ <- control.isShutdown.asScala
      } yield ())
      out.println("server and client streams stopped, sockets closed")
    }
  }

  private def await[T](f: Future[T]): T = Await.result(f, Deadline)
}
